#!/usr/bin/env bash
# Runs a command with a throwaway Redis for the tests that need a real one (BullMQ queue,
# worker crash recovery). Uses PYGUARD_TEST_REDIS_URL when it is already set; otherwise starts
# Debian's redis-server (installing it when missing and running as root) on a free loopback
# port and stops it afterwards.
set -euo pipefail
here=$(dirname "$0")
if [ -z "${PYGUARD_TEST_REDIS_URL:-}" ]; then
  # shellcheck source=scripts/test-redis.sh
  source "$here/test-redis.sh"
  start_test_redis
  trap stop_test_redis EXIT
fi
"$@"
