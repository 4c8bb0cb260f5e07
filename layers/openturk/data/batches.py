"""Projects (HIT layouts) and batches published from CSV files in the batch bucket.

Access patterns and what serves each:
- a project by its HITLayoutId (CreateHIT with HITLayoutId) .... GetItem on HITLayoutId (the id is derived
  from requester and project name, so `openturk project show` needs no index either)
- a requester's projects (`openturk project list`) .............. Query GSI ByRequester: RequesterId, Name
- a batch by requester and name (`openturk batch status`) ...... GetItem on BatchId = derived(requester,
  name), Part = "batch"
- a batch's chunks and their progress ........................... Query on BatchId (Part begins "chunk#")
- batches whose work may be all in (the results CSV) ............ Query GSI OpenBatches: OpenKey =
  "open#<shard>" (removed when the results CSV for the finished batch is written)
- batches still publishing (resumed when `openturk serve` starts) . Query GSI OpenBatches: OpenKey =
  "publishing#<shard>" (becomes "open#<shard>" when every row is a HIT)
"""

from pynamodb.attributes import (
    BooleanAttribute,
    JSONAttribute,
    NumberAttribute,
    UnicodeAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from openturk import config
from openturk.data.base import BaseMeta

BATCH_PART = "batch"

# A batch's life: Publishing (held, chunks writing HITs) -> Published (every row is a HIT) -> Complete
# (its work is all in and the results CSV is written); Refused when it could not be paid for or read.
PUBLISHING, PUBLISHED, COMPLETE, REFUSED = "Publishing", "Published", "Complete", "Refused"


def chunk_part(index: int) -> str:
    return f"chunk#{index:06d}"


class ProjectsByRequester(GlobalSecondaryIndex):
    class Meta:
        index_name = "ByRequester"
        projection = AllProjection()

    requester_id = UnicodeAttribute(hash_key=True, attr_name="RequesterId")
    name = UnicodeAttribute(range_key=True, attr_name="Name")


class Project(Model):
    """A requester's project: HIT type properties and an HTML template with ${column} placeholders."""

    class Meta(BaseMeta):
        table_name = config.table_name("projects")

    hit_layout_id = UnicodeAttribute(hash_key=True, attr_name="HITLayoutId")
    requester_id = UnicodeAttribute(attr_name="RequesterId")
    name = UnicodeAttribute(attr_name="Name")
    properties = JSONAttribute(attr_name="Properties")  # the project file without Template
    template = UnicodeAttribute(attr_name="Template")
    updated_at = NumberAttribute(attr_name="UpdatedAt")

    by_requester = ProjectsByRequester()


class OpenBatches(GlobalSecondaryIndex):
    class Meta:
        index_name = "OpenBatches"
        projection = AllProjection()

    open_key = UnicodeAttribute(hash_key=True, attr_name="OpenKey")
    created_at = NumberAttribute(range_key=True, attr_name="CreatedAt")


class Batch(Model):
    """One item per batch (Part "batch") and one per chunk of its rows (Part "chunk#<n>").

    The batch item holds what every chunk needs to build its HITs the same way each time it runs (the
    project as read when the batch started, its HIT type, the creation time, the chunks' byte ranges);
    a chunk item records how many of its rows are HITs already and who is writing them (a lease).
    """

    class Meta(BaseMeta):
        table_name = config.table_name("batches")

    batch_id = UnicodeAttribute(hash_key=True, attr_name="BatchId")
    part = UnicodeAttribute(range_key=True, attr_name="Part")

    # the batch item
    requester_id = UnicodeAttribute(null=True, attr_name="RequesterId")
    name = UnicodeAttribute(null=True, attr_name="Name")
    project = UnicodeAttribute(null=True, attr_name="Project")
    source_key = UnicodeAttribute(null=True, attr_name="SourceKey")
    source_etag = UnicodeAttribute(null=True, attr_name="SourceETag")
    status = UnicodeAttribute(null=True, attr_name="Status")
    reason = UnicodeAttribute(null=True, attr_name="Reason")
    created_at = NumberAttribute(null=True, attr_name="CreatedAt")
    hit_type_id = UnicodeAttribute(null=True, attr_name="HITTypeId")
    hit_layout_id = UnicodeAttribute(null=True, attr_name="HITLayoutId")
    terms = JSONAttribute(null=True, attr_name="Terms")  # the project's properties, as read
    template = UnicodeAttribute(null=True, attr_name="Template")
    columns = JSONAttribute(null=True, attr_name="Columns")
    rows_read = NumberAttribute(null=True, attr_name="RowsRead")
    valid_rows = NumberAttribute(null=True, attr_name="ValidRows")
    failed_rows = NumberAttribute(null=True, attr_name="FailedRows")
    held_cents = NumberAttribute(null=True, attr_name="HeldCents")
    chunks = JSONAttribute(null=True, attr_name="Chunks")  # [[start byte, end byte, first row, first line]]
    enqueued = BooleanAttribute(null=True, attr_name="Enqueued")
    chunks_done = NumberAttribute(null=True, attr_name="ChunksDone")
    open_key = UnicodeAttribute(null=True, attr_name="OpenKey")
    results_at = NumberAttribute(null=True, attr_name="ResultsAt")

    # a chunk item
    done_rows = NumberAttribute(null=True, attr_name="DoneRows")  # rows of the chunk surely written
    hits_created = NumberAttribute(null=True, attr_name="HITsCreated")
    finished = BooleanAttribute(null=True, attr_name="Finished")
    lease_owner = UnicodeAttribute(null=True, attr_name="LeaseOwner")
    lease_until = NumberAttribute(null=True, attr_name="LeaseUntil")
    claims = NumberAttribute(null=True, attr_name="Claims")  # how many writers took the chunk so far

    open_batches = OpenBatches()
