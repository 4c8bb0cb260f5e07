"""openturk's AWS infrastructure: one CDK construct per capability, composed by one stack."""
