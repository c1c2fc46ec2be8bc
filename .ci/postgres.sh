#!/usr/bin/env bash
# A PostgreSQL server for the test suite, on a fresh Debian 12 machine, as root.
#
#   export TEST_POSTGRES_URL=$(bash .ci/postgres.sh)     # run it
#   source .ci/postgres.sh                               # or source it: exports TEST_POSTGRES_URL too
#
# Installs `postgresql` when it is missing, starts the newest installed cluster, waits until it
# accepts connections and creates the role `otwarty` and the database `otwarty_test` unless they
# exist. The connection URL is the last line on stdout; everything else goes to stderr.
#
# The URL says `sslmode=disable`: postgres-kit's SQLPostgresConfiguration(url:) reads any of
# tlsmode/sslmode/ssl/tls and its default is `prefer`, which would try TLS against this local,
# certificate-less server. psql understands the same parameter.
#
# The password is for a throw-away test database on the CI machine only.

otwarty_postgres_main() (
    set -euo pipefail
    exec 3>&1 1>&2 # stdout is reserved for the URL

    local role=otwarty password=otwarty-test-only database=otwarty_test host=127.0.0.1
    local cluster=main

    log() { printf 'postgres.sh: %s\n' "$*" >&2; }
    fail() { log "error: $*"; exit 1; }
    as_postgres() {
        # cd / so psql does not warn that it cannot read root's current directory.
        if [[ $EUID -eq 0 ]]; then (cd / && runuser -u postgres -- "$@")
        else (cd / && sudo -n -u postgres -- "$@"); fi
    }
    sql_postgres() { as_postgres psql --no-psqlrc -X -q -At -v ON_ERROR_STOP=1 -p "$port" -d postgres "$@"; }
    detached() {
        # The server outlives this script and inherits its open files: were it to keep fd 3 (the
        # caller's $(...) pipe) or any pipe of the CI runner, the caller would wait for it forever.
        (
            local fd
            for fd in /proc/$BASHPID/fd/*; do
                fd=${fd##*/}
                if [[ $fd -gt 2 ]]; then eval "exec $fd>&-" 2>/dev/null || true; fi
            done
            exec "$@" </dev/null
        )
    }

    # 1. Install.
    if ! command -v pg_ctlcluster >/dev/null || ! command -v psql >/dev/null; then
        log "installing postgresql with apt-get"
        [[ $EUID -eq 0 ]] || fail "postgresql is not installed and this is not root"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        # The package's post-install script may start the server itself: detach it as well.
        detached apt-get install -y -qq --no-install-recommends postgresql postgresql-client >/dev/null
    fi

    # 2. The newest installed version; create its cluster if the package did not.
    local version
    version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1 || true)
    if [[ -z $version ]]; then
        version=$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -n 1 || true)
        [[ -n $version ]] || fail "no PostgreSQL server found under /usr/lib/postgresql"
        log "creating cluster $version/$cluster"
        pg_createcluster "$version" "$cluster" >/dev/null
    elif [[ ! -d /etc/postgresql/$version/$cluster ]]; then
        log "creating cluster $version/$cluster"
        pg_createcluster "$version" "$cluster" >/dev/null
    fi

    local port
    port=$(pg_conftool -s "$version" "$cluster" show port 2>/dev/null || echo 5432)

    # 3. Start (pg_ctlcluster status: 0 running, 3 stopped).
    if pg_ctlcluster "$version" "$cluster" status >/dev/null 2>&1; then
        log "cluster $version/$cluster already running on port $port"
    else
        log "starting cluster $version/$cluster on port $port"
        detached pg_ctlcluster "$version" "$cluster" start || detached service postgresql start \
            || fail "could not start cluster $version/$cluster (see /var/log/postgresql/postgresql-$version-$cluster.log)"
    fi

    # 4. Wait until it accepts connections (at most 60 s).
    local attempt
    for attempt in $(seq 1 60); do
        if pg_isready -q -h "$host" -p "$port"; then break; fi
        [[ $attempt -lt 60 ]] || fail "the server did not become ready on $host:$port within 60 s"
        sleep 1
    done
    log "server ready on $host:$port"

    # 4b. The storage suite runs its PostgreSQL tests in parallel, each with its own pool of up to
    #     8 connections: Debian's default of 100 runs out ("remaining connection slots are
    #     reserved"). Raise it once, and restart for it to take effect.
    local max
    max=$(sql_postgres -c "SHOW max_connections")
    if [[ $max -lt 500 ]]; then
        log "raising max_connections from $max to 500 and restarting"
        sql_postgres -c "ALTER SYSTEM SET max_connections = 500" >/dev/null
        detached pg_ctlcluster "$version" "$cluster" restart || fail "could not restart cluster $version/$cluster"
        for attempt in $(seq 1 60); do
            if pg_isready -q -h "$host" -p "$port"; then break; fi
            [[ $attempt -lt 60 ]] || fail "the server did not come back on $host:$port within 60 s"
            sleep 1
        done
    fi

    # 5. Role and database, each only when missing.
    if [[ $(sql_postgres -c "SELECT 1 FROM pg_roles WHERE rolname = '$role'") == 1 ]]; then
        log "role $role exists"
    else
        log "creating role $role"
        sql_postgres -c "CREATE ROLE $role LOGIN PASSWORD '$password'"
    fi
    if [[ $(sql_postgres -c "SELECT 1 FROM pg_database WHERE datname = '$database'") == 1 ]]; then
        log "database $database exists"
    else
        log "creating database $database"
        sql_postgres -c "CREATE DATABASE $database OWNER $role"
    fi

    # 6. Prove the URL works before handing it out (password auth over TCP, no TLS).
    local url="postgres://$role:$password@$host:$port/$database?sslmode=disable"
    psql --no-psqlrc -X -q -At -v ON_ERROR_STOP=1 "$url" -c "SELECT 1" >/dev/null \
        || fail "cannot connect as $role to $database on $host:$port (an existing role with another password?)"

    printf '%s\n' "$url" >&3
)

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
    otwarty_postgres_main
else
    # Sourced: export the URL into the caller's shell as well, and leave its options alone.
    if TEST_POSTGRES_URL=$(otwarty_postgres_main); then
        export TEST_POSTGRES_URL
        printf '%s\n' "$TEST_POSTGRES_URL"
        unset -f otwarty_postgres_main
    else
        unset -f otwarty_postgres_main
        return 1
    fi
fi
