// openturk's front door: a CloudFront Function (cloudfront-js-2.0) on viewer requests.
// MTurk clients POST every operation to "/" and name it in X-Amz-Target. API Gateway cannot route on a
// header, so this turns the call into POST /requester/<Operation>, keeping the original host and path in
// headers: the function behind it verifies the SigV4 signature over what the client signed.
// OPERATIONS is filled in at synth time from openturk.edge.routes.REQUESTER (infra/front_door.py).
var PREFIX = "MTurkRequesterServiceV20170117.";
var OPERATIONS = __OPERATIONS__;

function handler(event) {
  var request = event.request;
  var headers = request.headers;
  // Only this function sets these; whatever a viewer sent under these names never reaches an origin.
  delete headers["x-openturk-host"];
  delete headers["x-openturk-path"];
  delete headers["x-openturk-web-host"];
  // The worker web app's pages and /mturk/externalSubmit: the host workers see, for the absolute URLs the
  // pages hand to task frames (turkSubmitTo).
  if (request.uri.indexOf("/worker/") === 0 && request.uri.indexOf("/worker/api/") !== 0 ||
      request.uri === "/mturk/externalSubmit") {
    headers["x-openturk-web-host"] = { value: headers.host ? headers.host.value : "" };
  }
  // An API Gateway route cannot end with "/": the marketplace's address /worker/ is served by /worker.
  if (request.uri === "/worker/") {
    request.uri = "/worker";
  }
  if (request.method !== "POST" || request.uri !== "/") {
    return request;
  }
  var target = headers["x-amz-target"] ? headers["x-amz-target"].value : "";
  var operation = target.indexOf(PREFIX) === 0 ? target.slice(PREFIX.length) : "";
  if (OPERATIONS.indexOf(operation) < 0) {
    return {
      statusCode: 400,
      statusDescription: "Bad Request",
      headers: {
        "content-type": { value: "application/x-amz-json-1.1" },
        "x-amzn-requestid": { value: event.context.requestId },
      },
      body: {
        encoding: "text",
        data: JSON.stringify({
          __type: "UnknownOperationException",
          Message: "Unknown operation " + JSON.stringify(target) + ".",
        }),
      },
    };
  }
  headers["x-openturk-host"] = { value: headers.host ? headers.host.value : "" };
  headers["x-openturk-path"] = { value: request.uri };
  request.uri = "/requester/" + operation;
  return request;
}
