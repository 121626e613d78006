# Sourced by ./sampan and bench/ scripts: prints the java binary of a JDK >= 21 on this machine
# (SAMPAN_JAVA_HOME, JAVA_HOME, /usr/lib/jvm, /opt/java, SDKMAN, then the PATH).
find_java() {
  local candidates=()
  [ -n "${SAMPAN_JAVA_HOME:-}" ] && candidates+=("$SAMPAN_JAVA_HOME")
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  local d
  for d in /usr/lib/jvm/* /opt/java/* "$HOME"/.sdkman/candidates/java/*; do
    [ -x "$d/bin/java" ] && candidates+=("$d")
  done
  for d in "${candidates[@]}"; do
    [ -x "$d/bin/java" ] || continue
    local v
    v=$("$d/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
    if [ -n "$v" ] && [ "${v%%.*}" -ge 21 ] 2>/dev/null; then echo "$d/bin/java"; return 0; fi
  done
  if command -v java >/dev/null; then
    v=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
    if [ "${v%%.*}" -ge 21 ] 2>/dev/null; then command -v java; return 0; fi
  fi
  echo "sampan: needs a JDK 21 or newer; set JAVA_HOME or SAMPAN_JAVA_HOME to one" >&2
  return 1
}
