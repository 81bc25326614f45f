# Sourced by .ci/postgres.sh and .ci/smtp.sh: prints a TCP port on 127.0.0.1 that nothing listens on, so the
# throwaway test servers never meet the system's own services. $1 names the server for the error message.
ketacare_free_port() {
  local port
  for _ in $(seq 1 100); do
    port=$((20000 + RANDOM % 40000))
    # A connection that succeeds means something listens there already.
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  echo "no free TCP port found for $1" >&2
  return 1
}
