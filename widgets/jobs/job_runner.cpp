// JobRunner is header-only apart from its moc output; this file anchors it in the library.
#include "jobs/job_runner.h"
