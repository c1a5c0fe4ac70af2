# shellcheck shell=bash
# Starts a throwaway PostgreSQL cluster for the store tests and exports TEST_POSTGRES_URL.
#
#   source .ci/postgres.sh            # from .ci/run, or by hand:
#   bash -c 'source .ci/postgres.sh && npx vitest run test/store'
#
# Installs PostgreSQL from Debian when no server binaries are found. The cluster lives in a mktemp
# directory, listens on 127.0.0.1 only (a free port from 54329 up) with its sockets in that directory,
# trusts local connections (nothing else can reach it) and runs with fsync off: it is thrown away.
# It is stopped and removed on shell exit (an EXIT trap, chained to any trap already set), or earlier by
# calling `ci_postgres_stop`. Sourced: it never calls `exit` or `set -e`; it returns non-zero on failure.

ci_postgres__log() { echo "[postgres.sh] $*" >&2; }

ci_postgres__find_bin() {
  local dir
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(readlink -f "$(command -v pg_ctl)")"
    return 0
  fi
  # Debian keeps the server binaries out of PATH; take the newest version installed.
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
      echo "$dir"
      return 0
    fi
  done
  return 1
}

ci_postgres__port_free() {
  # A connect that fails means nobody listens there.
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Runs a command as the cluster's owner: PostgreSQL refuses to run as root.
ci_postgres__as_owner() {
  # From inside the cluster directory: the owner may not be allowed into the caller's working directory.
  (cd "${CI_POSTGRES_DIR:-/}" && ci_postgres__as_owner_here "$@")
}

ci_postgres__as_owner_here() {
  if [ "$(id -u)" != "0" ]; then
    "$@"
  elif command -v runuser >/dev/null 2>&1; then
    runuser -u "$CI_POSTGRES_USER" -- "$@"
  else
    su -s /bin/sh "$CI_POSTGRES_USER" -c "$(printf '%q ' "$@")"
  fi
}

ci_postgres_stop() {
  if [ -n "${CI_POSTGRES_DIR:-}" ] && [ -d "$CI_POSTGRES_DIR" ]; then
    if [ -f "$CI_POSTGRES_DIR/data/postmaster.pid" ]; then
      ci_postgres__as_owner "$CI_POSTGRES_BIN/pg_ctl" -D "$CI_POSTGRES_DIR/data" stop -m fast >/dev/null 2>&1 || true
    fi
    rm -rf "$CI_POSTGRES_DIR"
  fi
  CI_POSTGRES_DIR=''
}

ci_postgres_start() {
  if [ -n "${TEST_POSTGRES_URL:-}" ]; then
    ci_postgres__log "TEST_POSTGRES_URL is already set; using that server"
    return 0
  fi

  CI_POSTGRES_BIN="$(ci_postgres__find_bin)"
  if [ -z "$CI_POSTGRES_BIN" ]; then
    ci_postgres__log "no PostgreSQL server binaries found; installing the Debian package"
    if ! command -v apt-get >/dev/null 2>&1; then
      ci_postgres__log "apt-get is not available: install PostgreSQL (initdb, pg_ctl) by hand"
      return 1
    fi
    local sudo=''
    [ "$(id -u)" != "0" ] && sudo='sudo'
    if ! { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null; }; then
      ci_postgres__log "installing postgresql failed"
      return 1
    fi
    CI_POSTGRES_BIN="$(ci_postgres__find_bin)"
    if [ -z "$CI_POSTGRES_BIN" ]; then
      ci_postgres__log "postgresql was installed but initdb/pg_ctl are still not found"
      return 1
    fi
  fi

  CI_POSTGRES_USER="$(id -un)"
  if [ "$(id -u)" = "0" ]; then
    CI_POSTGRES_USER=postgres
    if ! id postgres >/dev/null 2>&1; then
      local group_opt='--user-group'
      getent group postgres >/dev/null 2>&1 && group_opt='--gid=postgres'
      useradd --system --no-create-home --shell /bin/sh "$group_opt" postgres || return 1
    fi
  fi

  CI_POSTGRES_DIR="$(mktemp -d "${TMPDIR:-/tmp}/ci-postgres.XXXXXX")" || return 1
  chmod 700 "$CI_POSTGRES_DIR"
  [ "$(id -u)" = "0" ] && chown "$CI_POSTGRES_USER" "$CI_POSTGRES_DIR"

  CI_POSTGRES_PORT=54329
  while ! ci_postgres__port_free "$CI_POSTGRES_PORT"; do
    CI_POSTGRES_PORT=$((CI_POSTGRES_PORT + 1))
    if [ "$CI_POSTGRES_PORT" -gt 54429 ]; then
      ci_postgres__log "no free port between 54329 and 54429"
      ci_postgres_stop
      return 1
    fi
  done

  if ! ci_postgres__as_owner "$CI_POSTGRES_BIN/initdb" -D "$CI_POSTGRES_DIR/data" -U postgres --auth=trust \
    -E UTF8 --no-locale >"$CI_POSTGRES_DIR/initdb.log" 2>&1; then
    ci_postgres__log "initdb failed:"
    tail -n 20 "$CI_POSTGRES_DIR/initdb.log" >&2
    ci_postgres_stop
    return 1
  fi

  if ! ci_postgres__as_owner "$CI_POSTGRES_BIN/pg_ctl" -D "$CI_POSTGRES_DIR/data" -l "$CI_POSTGRES_DIR/server.log" \
    -w -t 60 -o "-c listen_addresses=127.0.0.1 -p $CI_POSTGRES_PORT -k $CI_POSTGRES_DIR -c fsync=off -c full_page_writes=off -c synchronous_commit=off" \
    start >/dev/null; then
    ci_postgres__log "the server did not start:"
    tail -n 20 "$CI_POSTGRES_DIR/server.log" >&2
    ci_postgres_stop
    return 1
  fi

  local i
  for i in $(seq 1 60); do
    "$CI_POSTGRES_BIN/pg_isready" -q -h 127.0.0.1 -p "$CI_POSTGRES_PORT" && break
    sleep 0.5
  done
  if ! "$CI_POSTGRES_BIN/pg_isready" -q -h 127.0.0.1 -p "$CI_POSTGRES_PORT"; then
    ci_postgres__log "the server is not ready after 30 s"
    ci_postgres_stop
    return 1
  fi

  if ! "$CI_POSTGRES_BIN/psql" -q -h 127.0.0.1 -p "$CI_POSTGRES_PORT" -U postgres -d postgres \
    -c 'CREATE DATABASE store_test' >/dev/null; then
    ci_postgres__log "could not create the test database"
    ci_postgres_stop
    return 1
  fi

  export TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$CI_POSTGRES_PORT/store_test"
  ci_postgres__log "PostgreSQL $("$CI_POSTGRES_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$CI_POSTGRES_PORT; TEST_POSTGRES_URL exported"
  return 0
}

if ci_postgres_start; then
  # Chain to an EXIT trap the sourcing script may already have, rather than replacing it.
  ci_postgres__previous_trap="$(trap -p EXIT | sed -e "s/^trap -- '//" -e "s/' EXIT\$//" -e "s/'\\\\''/'/g")"
  # shellcheck disable=SC2064
  trap "ci_postgres_stop; ${ci_postgres__previous_trap}" EXIT
  unset ci_postgres__previous_trap
else
  ci_postgres__log "PostgreSQL could not be started; the PostgreSQL store tests will fail under CI"
  # shellcheck disable=SC2317
  return 1 2>/dev/null || exit 1
fi
