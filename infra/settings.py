"""What every function shares, in one place: runtime, architecture, logging, sizes, and the layer's target."""

from aws_cdk import Duration
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs

# The layer's wheels are built for exactly this interpreter and CPU (infra/layer.py), so the runtime and the
# pip target move together.
RUNTIME = lambda_.Runtime.PYTHON_3_13
ARCHITECTURE = lambda_.Architecture.ARM_64
PIP_PYTHON_VERSION = "3.13"
PIP_PLATFORM = "manylinux2014_aarch64"

# Powertools writes JSON itself; Lambda's JSON format keeps its own platform lines structured too.
LOG_FORMAT = lambda_.LoggingFormat.JSON
APPLICATION_LOG_LEVEL = lambda_.ApplicationLogLevel.INFO
SYSTEM_LOG_LEVEL = lambda_.SystemLogLevel.WARN
LOG_RETENTION = logs.RetentionDays.ONE_MONTH

MEMORY_MB = 512  # more memory is more CPU: the cold start (imports) is the cost that matters here
TIMEOUT = Duration.seconds(10)  # well under API Gateway's 30-second integration limit
TRACING = lambda_.Tracing.ACTIVE
# The background functions (no API Gateway in front): a stream batch of up to 100 deliveries, or a sweep.
# Within the sweep's one-minute rate; two sweeps overlapping are safe anyway (domain/sweeper.py).
BACKGROUND_TIMEOUT = Duration.seconds(60)

# The stack's EventBridge bus, where every event is also put (domain/notifications.bus_name's default).
EVENT_BUS_NAME = "openturk"
SWEEP_RATE = Duration.minutes(1)
# The events table's stream: the delivery function reads only the new events' keys.
DELIVERY_BATCH_SIZE = 100
DELIVERY_RETRY_ATTEMPTS = 3

POWERTOOLS_ENVIRONMENT = {
    "POWERTOOLS_SERVICE_NAME": "openturk",
    "POWERTOOLS_METRICS_NAMESPACE": "openturk",
}
