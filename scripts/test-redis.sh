#!/usr/bin/env bash
# Starts a throwaway redis-server on a free loopback port for the test suite and exports
# PYGUARD_TEST_REDIS_URL. Installs Debian's redis-server when it is missing and we are root.
# Usage: source scripts/test-redis.sh; start_test_redis; ...; stop_test_redis

start_test_redis() {
  if ! command -v redis-server >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "installing redis-server" >&2
      apt-get update -qq >/dev/null
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
    else
      echo "redis-server is not installed; tests that need Redis are skipped" >&2
      return 0
    fi
  fi
  TEST_REDIS_DIR=$(mktemp -d)
  TEST_REDIS_PORT=$(node -e "const s=require('node:net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
  redis-server --port "$TEST_REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
    --dir "$TEST_REDIS_DIR" --daemonize yes --pidfile "$TEST_REDIS_DIR/redis.pid" \
    --logfile "$TEST_REDIS_DIR/redis.log" >/dev/null
  for _ in $(seq 1 50); do
    if redis-cli -p "$TEST_REDIS_PORT" ping >/dev/null 2>&1; then break; fi
    sleep 0.1
  done
  export PYGUARD_TEST_REDIS_URL="redis://127.0.0.1:$TEST_REDIS_PORT"
  echo "test Redis on $PYGUARD_TEST_REDIS_URL" >&2
}

stop_test_redis() {
  if [ -n "${TEST_REDIS_DIR:-}" ] && [ -f "$TEST_REDIS_DIR/redis.pid" ]; then
    kill "$(cat "$TEST_REDIS_DIR/redis.pid")" 2>/dev/null || true
  fi
}
