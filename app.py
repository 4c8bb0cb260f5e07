"""CDK entry point: builds the openturk stack from infra/ and writes the templates to cdk.out/."""

from infra.app import create_app

app, _ = create_app()
app.synth()
