"""An HTMLQuestion's HTML as its iframe loads it: MTurk's substitutions, served sandboxed.

The response carries `Content-Security-Policy: sandbox ...` without allow-same-origin, so the requester's
HTML runs in an opaque origin even when opened directly: it can never act as the app's origin, and the
session cookie is HttpOnly. MTurk's substitutions: the form action www.mturk.com/mturk/externalSubmit (or
the sandbox's) becomes this deployment's, the four frame parameters are in the URL, and a small script
provides turkGetParam/turkSetAssignmentID (externalHIT_v1.js cannot be fetched offline) and says so when a
page built with crowd-html-elements cannot load them.
"""

import re
from typing import Any

_MTURK_SUBMIT = re.compile(r"https://(?:www|workersandbox)\.mturk\.com/mturk/externalSubmit", re.IGNORECASE)
_SANDBOX = "sandbox allow-scripts allow-forms allow-modals allow-popups allow-popups-to-escape-sandbox"
_SHIM = """<script>(function(){
var q=new URLSearchParams(location.search);
window.turkGetParam=function(n,d){var v=q.get(n);return v===null?(d===undefined?"":d):v;};
window.turkSetAssignmentID=function(){var a=turkGetParam("assignmentId","");
var f=document.getElementById("assignmentId");if(f){f.value=a;}
var b=document.getElementById("submitButton");
if(b&&a==="ASSIGNMENT_ID_NOT_AVAILABLE"){b.disabled=true;b.value="Accept the HIT to submit";}};
document.addEventListener("DOMContentLoaded",function(){
var a=turkGetParam("assignmentId","");
document.querySelectorAll("input[name=assignmentId]").forEach(function(i){if(!i.value){i.value=a;}});});
window.addEventListener("load",function(){
if(document.querySelector("crowd-form")&&!window.customElements.get("crowd-form")){
var d=document.createElement("p");d.setAttribute("role","alert");
d.style.cssText="background:#fff3cd;border:1px solid #b58a00;padding:.6em;font:14px sans-serif";
d.textContent="This task is built with crowd-html-elements, whose script could not be loaded "+
"(this machine may be offline). It can be read but not submitted until the script loads.";
document.body.insertBefore(d,document.body.firstChild);}});})();</script>"""


def substituted(html: str, submit_to: str) -> str:
    html = _MTURK_SUBMIT.sub(submit_to.rstrip("/") + "/mturk/externalSubmit", html)
    head = re.search(r"<head[^>]*>", html, re.IGNORECASE)
    if head:
        return html[: head.end()] + _SHIM + html[head.end() :]
    return _SHIM + html


def response(html: str, submit_to: str) -> dict[str, Any]:
    return {
        "statusCode": 200,
        "headers": {
            "Content-Type": "text/html; charset=utf-8",
            "Content-Security-Policy": f"{_SANDBOX}; frame-ancestors 'self'",
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
            "Cache-Control": "no-store",
        },
        "body": substituted(html, submit_to),
    }
