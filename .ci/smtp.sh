# Sourced by .ci/run (and usable by hand: `source .ci/smtp.sh && ketacare_smtp_start` in a bash shell). Starts a
# throwaway SMTP server for the e-mail tests and exports where it listens and where it writes:
#   - Debian's aiosmtpd (package python3-aiosmtpd) with its Mailbox handler: every message lands as a file in a maildir,
#   - listening on 127.0.0.1 only, on a free port,
#   - KETACARE_TEST_SMTP=127.0.0.1:PORT and KETACARE_TEST_MAILDIR=<maildir>,
#   - stopped and its folder deleted by the EXIT trap (chained after any trap already set, such as PostgreSQL's).

# shellcheck source=free-port.sh
source "$(dirname "${BASH_SOURCE[0]}")/free-port.sh"

ketacare_smtp_stop() {
  if [ -n "${KETACARE_SMTP_PID:-}" ]; then
    kill "$KETACARE_SMTP_PID" 2>/dev/null || true
    wait "$KETACARE_SMTP_PID" 2>/dev/null || true
  fi
  if [ -n "${KETACARE_SMTP_ROOT:-}" ] && [ -d "$KETACARE_SMTP_ROOT" ]; then
    rm -rf "$KETACARE_SMTP_ROOT"
  fi
}

ketacare_smtp_start() {
  local port previous
  KETACARE_SMTP_ROOT=$(mktemp -d "${TMPDIR:-/tmp}/ketacare-smtp.XXXXXX")
  previous=$(trap -p EXIT | sed -e "s/^trap -- '\(.*\)' EXIT$/\1/")
  # shellcheck disable=SC2064 # the previous trap's text is meant to be expanded now
  trap "ketacare_smtp_stop; ${previous:-:}" EXIT
  port=$(ketacare_free_port "the SMTP server")
  /usr/bin/python3 -m aiosmtpd -n -l "127.0.0.1:$port" -c aiosmtpd.handlers.Mailbox "$KETACARE_SMTP_ROOT/maildir" \
    >"$KETACARE_SMTP_ROOT/server.log" 2>&1 &
  KETACARE_SMTP_PID=$!
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      export KETACARE_TEST_SMTP="127.0.0.1:$port"
      export KETACARE_TEST_MAILDIR="$KETACARE_SMTP_ROOT/maildir"
      echo "SMTP server for the tests: 127.0.0.1:$port, mail in $KETACARE_TEST_MAILDIR (removed on exit)"
      return 0
    fi
    sleep 0.1
  done
  echo "the SMTP server did not start; see $KETACARE_SMTP_ROOT/server.log" >&2
  return 1
}
