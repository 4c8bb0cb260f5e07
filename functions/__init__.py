"""One Lambda handler per MTurk operation or worker action: parse, call one domain function, return."""
