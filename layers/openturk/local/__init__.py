"""The laptop runtime: moto for AWS, Amazon's DynamoDB Local for the tables, and the local gateway."""
