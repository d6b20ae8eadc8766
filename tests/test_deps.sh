#!/usr/bin/env bash
# test_deps: `make deps` on a bare Debian machine, where none of DEB_PKGS is installed.
# Stand-ins for dpkg-query, dpkg, apt-get, id and sudo record what would run; PATH holds
# only them and the basic tools of a fresh system (no real sudo, no pkg-config). Checked:
#   - as root: `apt-get update`, then `apt-get install -y` with every package of DEB_PKGS
#     as its own argument, in order, non-interactive;
#   - as a user with passwordless sudo: the same, through sudo, even though sudo resets
#     the environment (as Debian's sudoers does);
#   - as a user without sudo, and with a sudo that asks for a password: nothing installed,
#     exit 1, and one printed line whose command, pasted into a shell, installs every
#     package;
#   - with everything installed: nothing runs.
set -u
cd "$(dirname "$0")/.."
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass+1)); echo "ok    $*"; }
bad() { fail=$((fail+1)); echo "FAIL  $*"; }

# The package list, read from the Makefile as make sees it.
mapfile -t pkgs < <(make --no-print-directory -s -f Makefile -f - print-deb-pkgs <<'EOF' | tr ' ' '\n' | grep .
print-deb-pkgs:
	@echo $(DEB_PKGS)
EOF
)
[ "${#pkgs[@]}" -ge 10 ] && ok "DEB_PKGS lists ${#pkgs[@]} packages" || bad "DEB_PKGS could not be read (${#pkgs[@]})"

# Basic tools of a fresh Debian system; everything else is missing.
tools=$tmp/tools; mkdir -p "$tools"
for t in sh dash bash make grep sed cat env find tr mkdir rm uname head tail sort ls true false; do
  p=$(type -P "$t") && ln -s "$p" "$tools/$t"
done

# stand-ins: MODE=root|sudo|nosudo|sudo-password|installed
stubs() { # stubs DIR MODE
  local d=$1 mode=$2 log=$1.log
  mkdir -p "$d"; : >"$log"
  if [ "$mode" = installed ]; then
    printf '#!/bin/sh\necho "install ok installed"\n' >"$d/dpkg-query"
  elif [ "$mode" = partial ]; then # the lib* packages are installed: dpkg-query -W -f=FMT PKG
    printf '#!/bin/sh\ncase $3 in lib*) echo "install ok installed";; *) exit 1;; esac\n' >"$d/dpkg-query"
  else
    printf '#!/bin/sh\nexit 1\n' >"$d/dpkg-query"
  fi
  printf '#!/bin/sh\nexit 1\n' >"$d/dpkg"
  # apt-get: one line per call: the caller (root or sudo), the frontend, then each argument
  # on a line of its own between markers.
  cat >"$d/apt-get" <<EOF
#!/bin/sh
{ echo "CALL via=\${STUB_VIA:-direct} frontend=\${DEBIAN_FRONTEND:-unset}"
  for a in "\$@"; do echo "ARG \$a"; done
  echo "END"; } >>"$log"
exit 0
EOF
  case $mode in root|partial) uid=0 ;; *) uid=1000 ;; esac
  printf '#!/bin/sh\n[ "$1" = -u ] && { echo %s; exit 0; }\necho "uid=%s"\n' "$uid" "$uid" >"$d/id"
  case $mode in
    sudo|paste) # passwordless; resets the environment like Debian's default sudoers
      cat >"$d/sudo" <<EOF
#!/bin/sh
[ "\$1" = -n ] && shift
echo "SUDO \$*" >>"$log"
exec env -i PATH="\$PATH" HOME=/root STUB_VIA=sudo "\$@"
EOF
      ;;
    sudo-password)
      printf '#!/bin/sh\necho "sudo: a password is required" >&2\nexit 1\n' >"$d/sudo" ;;
  esac
  chmod +x "$d"/*
}

run_deps() { # run_deps MODE: runs make deps with the stand-ins; sets rc, out, log
  local d=$tmp/$1
  stubs "$d" "$1"
  env -i HOME="$tmp" PATH="$d:$tools" make --no-print-directory deps >"$d.out" 2>&1
  rc=$?; out=$d.out; log=$d.log
}

# The calls apt-get received, as "via frontend | arg arg ..." lines.
calls() { awk '/^CALL/{via=$2" "$3; line=""} /^ARG /{line=line" "substr($0,5)} /^END/{print via" |"line}' "$1"; }

want_install=$(printf ' %s' install -y "${pkgs[@]}")
check_apt() { # check_apt WHAT LOG VIA
  local what=$1 lg=$2 via=$3
  mapfile -t c < <(calls "$lg")
  if [ "${#c[@]}" -eq 2 ] && [ "${c[0]}" = "via=$via frontend=noninteractive | update" ] &&
     [ "${c[1]}" = "via=$via frontend=noninteractive |$want_install" ]; then
    ok "$what: apt-get update, then apt-get install -y with each of the ${#pkgs[@]} packages as its own argument"
  else
    bad "$what: apt-get calls were:"; printf '        %s\n' "${c[@]:-none}"
    echo "        expected: via=$via frontend=noninteractive | update"
    echo "        then:     via=$via frontend=noninteractive |$want_install"
  fi
  # no argument may hold a space (a list passed as one word) or be a shell word like '&&'
  if grep -q '^ARG .* ' "$lg" || grep -qx 'ARG &&' "$lg"; then bad "$what: an argument holds several words"; else ok "$what: no argument holds several words"; fi
}

# ---- root --------------------------------------------------------------------------
run_deps root
[ "$rc" -eq 0 ] && ok "root: make deps exits 0" || { bad "root: make deps exits $rc"; sed 's/^/        /' "$out"; }
check_apt root "$log" direct
grep -q "not found" "$out" && bad "root: a word reached the shell as a command: $(grep 'not found' "$out" | head -1)" \
  || ok "root: no 'not found' from the shell"

# ---- a user with passwordless sudo -------------------------------------------------------
run_deps sudo
[ "$rc" -eq 0 ] && ok "sudo: make deps exits 0" || { bad "sudo: make deps exits $rc"; sed 's/^/        /' "$out"; }
check_apt sudo "$log" sudo
grep -q "^SUDO .*apt-get install" "$log" && ok "sudo: the installation ran through sudo" || bad "sudo: sudo was not used"

# ---- a user without sudo, and one whose sudo needs a password ---------------------------
for mode in nosudo sudo-password; do
  run_deps $mode
  [ "$rc" -ne 0 ] && ok "$mode: make deps fails (exit $rc)" || bad "$mode: make deps exits 0 without installing"
  [ -s "$log" ] && grep -q '^CALL' "$log" && bad "$mode: apt-get ran" || ok "$mode: apt-get did not run"
  lines=$(grep -c 'apt-get' "$out")
  line=$(grep 'apt-get' "$out" | head -1)
  [ "$lines" -eq 1 ] && ok "$mode: one line names the command" || bad "$mode: $lines lines name apt-get: $(cat "$out")"
  # Paste the command (from "sudo" on) into a shell where sudo works: every package is installed.
  cmd=${line#*run as root: }
  if [ "$cmd" = "$line" ]; then bad "$mode: no 'run as root: COMMAND' in: $line"; continue; fi
  stubs "$tmp/paste-$mode" paste
  env -i HOME="$tmp" PATH="$tmp/paste-$mode:$tools" sh -c "$cmd" >/dev/null 2>&1
  mapfile -t c < <(calls "$tmp/paste-$mode.log")
  if [ "${#c[@]}" -eq 2 ] && [ "${c[0]##*| }" = update ] && [ "|${c[1]#*|}" = "|$want_install" ]; then
    ok "$mode: the printed command, pasted, runs apt-get update and installs every package"
  else
    bad "$mode: the pasted command ran:"; printf '        %s\n' "${c[@]:-nothing}"
  fi
done

# ---- some installed: only the others are asked for ------------------------------------------
run_deps partial
rest=$(printf ' %s' install -y $(printf '%s\n' "${pkgs[@]}" | grep -v '^lib'))
got=$(calls "$log" | tail -1)
[ "$rc" -eq 0 ] && [ "$got" = "via=direct frontend=noninteractive |$rest" ] && ok "partial: only the missing packages are installed" \
  || bad "partial: exit $rc, apt-get got: $got"

# ---- everything installed: nothing to do ----------------------------------------------
run_deps installed
{ [ "$rc" -eq 0 ] && [ ! -s "$out" ] && ! grep -q CALL "$log"; } && ok "installed: make deps is silent and runs nothing" \
  || bad "installed: exit $rc, output: $(head -c 300 "$out")"

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
