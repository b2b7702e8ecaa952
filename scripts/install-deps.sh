#!/bin/sh
# install-deps.sh - install the Debian packages ipctrace needs to build,
# run and test, when any is missing.  Run as root (make deps does this).
# `install-deps.sh bench` also installs the tools `make bench` compares
# against (perf, bpftrace).
set -e
PACKAGES="make gcc clang llvm libbpf-dev bpftool libelf-dev zlib1g-dev
libgraphviz-dev graphviz pkg-config libcmocka-dev libxml2-utils jq
binutils perl psmisc procps curl bc strace util-linux mount libclang-rt-14-dev
dpkg-dev bash-completion man-db protobuf-compiler time python3 chromium nodejs"
[ "${1:-}" = bench ] && PACKAGES="$PACKAGES linux-perf bpftrace"
missing=""
for p in $PACKAGES; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "error: missing Debian packages:$missing" >&2
	echo "hint: run 'sudo make deps' (or sudo apt-get install$missing)" >&2
	exit 1
fi
echo "  DEPS    installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=600 update -qq
apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends $missing >/dev/null
