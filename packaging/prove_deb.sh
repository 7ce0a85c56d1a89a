#!/usr/bin/env bash
# Prove the Linux installer on this machine (Debian/Ubuntu, as root): build the bundle and the
# .deb, install it with apt, and run the INSTALLED app.
#
#   bash packaging/prove_deb.sh [--reuse-bundle] [--gzip] [--no-clean-root] [--measure]
#
#   --reuse-bundle   package the bundle already in build/packaging/dist (skip PyInstaller)
#   --reuse-deb      prove the .deb already in dist/ (skip the build entirely)
#   --gzip           compress the .deb with gzip (faster to build; releases use xz)
#   --no-clean-root  skip the Depends proof in a fresh minimal Debian (debootstrap, ~3 min)
#   --measure        also measure start-up (packaging/measure_startup.py), installed vs unfrozen
#
# What it checks, each step printing PASS or stopping with FAIL:
#   1. the .deb builds; its control file, desktop entry (desktop-file-validate) and icons
#   2. apt-get install ./convdesigner_*.deb works (apt pulls in the Depends this machine lacks)
#   3. convdesigner --self-test passes offscreen and under Xvfb (Qt's xcb platform)
#   4. convdesigner --screenshot /tmp/installed.png writes the window
#   5. no network: the self-test passes in a network namespace without interfaces (unshare -n),
#      and strace sees no connect() to an address other than loopback or a local socket
#   6. the Depends are what the app needs: with libxcb-cursor0 hidden the installed app fails
#      with Qt's "no Qt platform plugin could be initialized"; in a fresh minimal Debian
#      (debootstrap) apt installs the .deb with exactly its Depends and the self-test passes
#      under Xvfb; there, removing libxcb-cursor0 breaks it and "apt-get -f install" repairs it.
# Reports go to build/packaging/proof/ (self-test outputs, strace, screenshot, sizes).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
PROOF=$REPO/build/packaging/proof
PYTHON=${PYTHON:-python3}
BUILD_ARGS=()
CLEAN_ROOT=1
MEASURE=0
REUSE_DEB=0
for arg in "$@"; do
  case $arg in
    --reuse-bundle) BUILD_ARGS+=(--reuse-bundle) ;;
    --reuse-deb) REUSE_DEB=1 ;;
    --gzip) BUILD_ARGS+=(--compress gzip) ;;
    --no-clean-root) CLEAN_ROOT=0 ;;
    --measure) MEASURE=1 ;;
    *) echo "unknown option $arg" >&2; exit 2 ;;
  esac
done

# Whatever the caller set (the test suite sets QT_QPA_PLATFORM=offscreen): each check below says
# which Qt platform it wants.
unset QT_QPA_PLATFORM WAYLAND_DISPLAY

pass() { echo "PASS  $*"; }
fail() { echo "FAIL  $*" >&2; exit 1; }
step() { echo; echo "=== $*"; }

[ "$(id -u)" = 0 ] || fail "run as root (apt-get install, unshare, debootstrap)"
mkdir -p "$PROOF"
rm -f "$PROOF"/*.txt "$PROOF"/*.png

step "tools"
need=()
for tool in dpkg-deb:dpkg-dev xvfb-run:xvfb xauth:xauth desktop-file-validate:desktop-file-utils \
            strace:strace readelf:binutils xdotool:xdotool; do
  command -v "${tool%%:*}" >/dev/null || need+=("${tool##*:}")
done
if [ "$CLEAN_ROOT" = 1 ] && ! command -v debootstrap >/dev/null; then need+=(debootstrap); fi
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
pass "tools present"

step "1. build the bundle and the .deb"
if [ "$REUSE_DEB" = 1 ] && ls dist/convdesigner_*.deb > /dev/null 2>&1; then
  echo "reusing $(ls -t dist/convdesigner_*.deb | sed -n 1p)"
else
  started=$(date +%s)
  set +e
  "$PYTHON" packaging/build.py deb "${BUILD_ARGS[@]}" > "$PROOF/build-log.txt" 2>&1
  status=$?
  set -e
  grep -E '^\[build\] (bundle|deb):|^trim:' "$PROOF/build-log.txt" || true
  [ "$status" = 0 ] || { tail -30 "$PROOF/build-log.txt"; fail "packaging/build.py deb (see $PROOF/build-log.txt)"; }
  echo "build wall time: $(( $(date +%s) - started )) s"
fi
DEB=$(ls -t dist/convdesigner_*.deb | sed -n 1p)
cp build/packaging/bundle-info.json build/packaging/deb-depends.txt "$PROOF/"
dpkg-deb --info "$DEB" | tee "$PROOF/deb-info.txt"
dpkg-deb --contents "$DEB" > "$PROOF/deb-contents.txt"
for path in ./usr/bin/convdesigner ./opt/convdesigner/convdesigner ./usr/share/applications/convdesigner.desktop \
            ./usr/share/icons/hicolor/scalable/apps/convdesigner.svg ./usr/share/icons/hicolor/48x48/apps/convdesigner.png \
            ./usr/share/icons/hicolor/512x512/apps/convdesigner.png ./usr/share/doc/convdesigner/copyright \
            ./opt/convdesigner/_internal/convdesigner/resources/mnist_digits.npz; do
  grep -q " $path\( \|$\)" "$PROOF/deb-contents.txt" || fail "$path is not in the .deb"
done
pass "$DEB: $(du -m "$DEB" | cut -f1) MB; files in place"

step "2. apt-get install ./$(basename "$DEB")"
installed_before=$(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' | awk '$1 == "ii" {print $2}' | sort)
apt-get update -qq || true
DEBIAN_FRONTEND=noninteractive apt-get install -y --reinstall --no-install-recommends "./$DEB" > "$PROOF/apt-install.txt" 2>&1 \
  || { tail -20 "$PROOF/apt-install.txt"; fail "apt-get install ./$DEB"; }
brought=$(comm -13 <(echo "$installed_before") <(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' | awk '$1 == "ii" {print $2}' | sort) | grep -vx convdesigner | tr '\n' ' ' || true)
echo "packages apt installed for the Depends on this machine: ${brought:-none (all present already)}"
[ "$(readlink -f /usr/bin/convdesigner)" = /opt/convdesigner/convdesigner ] || fail "/usr/bin/convdesigner does not lead to /opt/convdesigner"
desktop-file-validate /usr/share/applications/convdesigner.desktop || fail "desktop entry"
for size in 16 22 24 32 48 64 128 256 512; do
  [ -s /usr/share/icons/hicolor/${size}x${size}/apps/convdesigner.png ] || fail "icon ${size}px"
done
pass "installed: /usr/bin/convdesigner -> /opt/convdesigner/convdesigner, desktop entry valid, icons 16-512 px"

SELFTEST=(env -u DISPLAY -u WAYLAND_DISPLAY QT_QPA_PLATFORM=offscreen convdesigner --self-test)
step "3a. installed self-test, offscreen"
(cd /tmp && "${SELFTEST[@]}") 2>&1 | tee "$PROOF/selftest-offscreen.txt"
[ "${PIPESTATUS[0]}" = 0 ] || fail "self-test offscreen"
grep -q "Qt platform offscreen" "$PROOF/selftest-offscreen.txt" || fail "not offscreen?"
pass "self-test offscreen"

step "3b. installed self-test under Xvfb (Qt's xcb platform)"
(cd /tmp && env -u QT_QPA_PLATFORM -u WAYLAND_DISPLAY xvfb-run -a convdesigner --self-test) 2>&1 | tee "$PROOF/selftest-xvfb.txt"
[ "${PIPESTATUS[0]}" = 0 ] || fail "self-test under Xvfb"
grep -q "Qt platform xcb" "$PROOF/selftest-xvfb.txt" || fail "Qt did not use xcb under Xvfb"
pass "self-test under Xvfb (xcb)"

step "4. installed --screenshot /tmp/installed.png"
rm -f /tmp/installed.png
(cd /tmp && env -u QT_QPA_PLATFORM xvfb-run -a convdesigner --screenshot /tmp/installed.png) 2>&1 | tail -3
[ -s /tmp/installed.png ] || fail "no screenshot"
cp /tmp/installed.png "$PROOF/installed.png"
pass "screenshot: /tmp/installed.png ($(du -k /tmp/installed.png | cut -f1) KiB)"

step "5. no network access at run time"
(cd /tmp && unshare -n -- "${SELFTEST[@]}") > "$PROOF/selftest-no-network.txt" 2>&1 \
  || { cat "$PROOF/selftest-no-network.txt"; fail "self-test in a network namespace without interfaces"; }
pass "self-test passes with no network at all (unshare -n)"
(cd /tmp && strace -f -qq -e trace=connect,sendto,sendmsg -o "$PROOF/strace-network.txt" \
    env -u QT_QPA_PLATFORM xvfb-run -a convdesigner --self-test) > /dev/null 2>&1 || fail "self-test under strace"
# Local sockets (the X server, D-Bus) are fine; anything else is not.
if grep -E 'sa_family=AF_INET6?' "$PROOF/strace-network.txt" | grep -vE 'inet_addr\("127\.|inet_pton\(AF_INET6, "::1"' ; then
  fail "network connection attempts (above; all in $PROOF/strace-network.txt)"
fi
echo "connect() calls seen: $(grep -c 'connect(' "$PROOF/strace-network.txt" || true), all to local sockets:"
grep -oE 'sun_path=[^}]*' "$PROOF/strace-network.txt" | sort | uniq -c | head -5 || true
pass "no connect() to a network address (strace -f, app and Xvfb)"

step "6a. without libxcb-cursor0 the installed app cannot start on X11"
# (no early exit in the pipeline: with pipefail, a reader that stops first makes it fail on SIGPIPE)
lib=$(ldconfig -p | awk '/libxcb-cursor\.so\.0 / && !found {print $NF; found = 1}')
[ -n "$lib" ] || fail "libxcb-cursor.so.0 not found (apt should have installed libxcb-cursor0)"
# Hide the library from this one process tree only (a private mount namespace); the system keeps it.
(cd /tmp && unshare -m --propagation private -- sh -c "mount --bind /dev/null '$lib' && env -u QT_QPA_PLATFORM xvfb-run -a convdesigner --self-test") \
  > "$PROOF/without-libxcb-cursor0.txt" 2>&1 && fail "the app started without libxcb-cursor0?"
cat "$PROOF/without-libxcb-cursor0.txt"
grep -q "no Qt platform plugin could be initialized" "$PROOF/without-libxcb-cursor0.txt" || fail "unexpected failure"
pass "without libxcb-cursor0: Qt's 'no Qt platform plugin could be initialized' (so the Depends entry matters)"

if [ "$CLEAN_ROOT" = 1 ]; then
  step "6b. a fresh minimal Debian: apt installs the .deb with its Depends; remove libxcb-cursor0, repair"
  ROOT=$REPO/build/packaging/cleanroot-bookworm
  BASE=$REPO/build/packaging/cleanroot-bookworm-base.tar
  in_root() {  # run the script file $1 (inside the root) with /proc, /dev and /sys, in a private mount namespace
    unshare -m --propagation private -- sh -c "
      mount -t proc proc '$ROOT/proc' && mount --rbind /dev '$ROOT/dev' && mount -t tmpfs tmpfs '$ROOT/dev/shm' &&
      mount -t sysfs sys '$ROOT/sys' && chroot '$ROOT' /bin/bash '$1'"
  }
  if [ ! -f "$BASE" ]; then
    # Built once and kept (build/ is ignored): Debian 12 minbase plus an X server, nothing else.
    rm -rf "$ROOT"
    debootstrap --variant=minbase bookworm "$ROOT" http://deb.debian.org/debian > "$PROOF/debootstrap.txt" 2>&1 \
      || fail "debootstrap (see $PROOF/debootstrap.txt)"
    cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
    printf '%s\n' 'export DEBIAN_FRONTEND=noninteractive' 'apt-get update -qq' \
      'apt-get install -y -qq --no-install-recommends xvfb xauth > /dev/null' 'apt-get clean' > "$ROOT/tmp/base.sh"
    in_root /tmp/base.sh || fail "installing Xvfb in the clean root"
    tar -C "$ROOT" -cf "$BASE" .
  fi
  # Every run starts from the same pristine root, so apt's list below is exactly what the Depends bring.
  rm -rf "$ROOT" && mkdir -p "$ROOT" && tar -C "$ROOT" -xf "$BASE"
  cp "$DEB" "$ROOT/tmp/convdesigner.deb"
  cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
  cat > "$ROOT/tmp/prove.sh" <<'INNER'
set -u
unset QT_QPA_PLATFORM WAYLAND_DISPLAY DISPLAY
export DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8
apt-get update -qq
echo "--- apt-get install ./convdesigner.deb (in a pristine minimal Debian 12 with only Xvfb added)"
apt-get install -y --no-install-recommends /tmp/convdesigner.deb > /tmp/apt.txt 2>&1 || { cat /tmp/apt.txt; exit 10; }
sed -n '/The following NEW packages will be installed:/,/newly installed/p' /tmp/apt.txt
cd /tmp
echo "--- self-test under Xvfb"
xvfb-run -a convdesigner --self-test > /tmp/ok.txt 2>&1; status=$?
cat /tmp/ok.txt
[ "$status" = 0 ] || exit 11
grep -q "Qt platform xcb" /tmp/ok.txt || exit 16
echo "--- dpkg --remove --force-depends libxcb-cursor0, then the self-test again (must fail)"
dpkg --remove --force-depends libxcb-cursor0 > /dev/null 2>&1
if xvfb-run -a convdesigner --self-test > /tmp/broken.txt 2>&1; then exit 12; fi
cat /tmp/broken.txt
grep -q "no Qt platform plugin could be initialized" /tmp/broken.txt || exit 13
echo "--- apt-get -f install (the Depends bring libxcb-cursor0 back), then the self-test again"
apt-get -f install -y -qq > /dev/null 2>&1
dpkg -s libxcb-cursor0 | grep -q "Status: install ok installed" || exit 14
xvfb-run -a convdesigner --self-test > /tmp/ok.txt 2>&1; status=$?
cat /tmp/ok.txt
[ "$status" = 0 ] || exit 15
grep -q "Qt platform xcb" /tmp/ok.txt || exit 16
INNER
  in_root /tmp/prove.sh 2>&1 | grep -v "^debconf:" | tee "$PROOF/clean-root.txt"
  status=${PIPESTATUS[0]}
  rm -rf "$ROOT"     # ~1.4 GB; the pristine base tar is kept for the next run
  [ "$status" = 0 ] || fail "clean-root proof (exit $status; see $PROOF/clean-root.txt)"
  pass "fresh Debian 12 minbase + Xvfb: the .deb's Depends suffice; without libxcb-cursor0 Qt fails; apt -f install repairs"
fi

if [ "$MEASURE" = 1 ]; then
  step "start-up, installed vs unfrozen"
  "$PYTHON" packaging/measure_startup.py --json "$PROOF/startup.json" | tee "$PROOF/startup.txt"
fi

echo
echo "ALL PASSED. Reports in $PROOF"
