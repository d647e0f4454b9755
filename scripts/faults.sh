#!/usr/bin/env bash
# The fault campaign (make test-faults): SIGKILLs the daemon at random moments while the SMTP
# server and the webhook receiver misbehave, then checks against what the servers received, and
# prints: duplicates (0), e-mails in doubt per kill (at most one per SMTP connection) and due
# steps neither sent nor recorded with a reason (0). Arguments go to Tests/faults/campaign.py, e.g.
#   scripts/faults.sh --quick            # CI size (~10 kills, 300 customers, < 3 minutes)
#   scripts/faults.sh --seed 7           # full size (30 kills, 2000 customers)
# With --postgres first, the same on a PostgreSQL ledger shared by three daemons, with a database
# crash and a stall past the statement timeout (Tests/faults/campaign_postgres.py):
#   scripts/faults.sh --postgres --quick
set -euo pipefail
cd "$(dirname "$0")/.."
campaign=Tests/faults/campaign.py
if [[ ${1:-} == --postgres ]]; then campaign=Tests/faults/campaign_postgres.py; shift; fi
scripts/setup.sh test
swift build
exec .venv/bin/python "$campaign" "$@"
