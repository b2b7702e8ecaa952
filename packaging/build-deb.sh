#!/bin/sh
# build-deb.sh VERSION OUTDIR - build OUTDIR/ipctrace_VERSION_ARCH.deb from
# the built ./trace: `make install` into a staging root with PREFIX=/usr,
# the library dependencies from dpkg-shlibdeps, the archive by dpkg-deb.
# Run from the top of the source tree (make deb does).
set -e
version=$1
out=$2
[ -n "$version" ] && [ -n "$out" ] || { echo "usage: build-deb.sh VERSION OUTDIR" >&2; exit 2; }
for tool in dpkg-deb dpkg-shlibdeps; do
	command -v $tool >/dev/null || { echo "error: $tool not found (apt-get install dpkg-dev)" >&2; exit 1; }
done
arch=$(dpkg --print-architecture)
stage=$out/root
rm -rf "$stage" "$out/src"
mkdir -p "$stage/DEBIAN" "$out/src/debian"
${MAKE:-make} --no-print-directory install DESTDIR="$stage" PREFIX=/usr >/dev/null
strip --strip-unneeded "$stage/usr/bin/ipctrace"
gzip -9n "$stage/usr/share/man/man8/ipctrace.8"
cat >"$stage/usr/share/doc/ipctrace/copyright" <<'END'
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: ipctrace

Files: *
Copyright: the ipctrace authors
License: GPL-2.0
 The BPF programs embedded in /usr/bin/ipctrace carry the SPDX identifier
 GPL-2.0.  On Debian systems the full text of the GNU General Public
 License version 2 is in /usr/share/common-licenses/GPL-2.
END

# dpkg-shlibdeps reads debian/control in the directory it runs from.
printf 'Source: ipctrace\n\nPackage: ipctrace\nArchitecture: any\n' >"$out/src/debian/control"
abs_stage=$(cd "$stage" && pwd)
depends=$(cd "$out/src" && dpkg-shlibdeps -O -e"$abs_stage/usr/bin/ipctrace" 2>/dev/null |
	sed -n 's/^shlibs:Depends=//p')
[ -n "$depends" ] || { echo "error: dpkg-shlibdeps found no dependencies" >&2; exit 1; }

cat >"$stage/DEBIAN/control" <<END
Package: ipctrace
Version: $version
Architecture: $arch
Maintainer: ipctrace developers <ipctrace@localhost>
Installed-Size: $(du -sk --exclude=DEBIAN "$stage" | cut -f1)
Depends: $depends
Section: utils
Priority: optional
Description: trace how Linux processes talk to each other, with eBPF
 ipctrace runs a command, follows it and every process it starts, records
 each IPC operation (pipes, FIFOs, files, SysV and POSIX message queues,
 shared memory, semaphores, signals, Unix, TCP and UDP sockets) with eBPF
 tracepoints, and draws a process-communication graph, a timeline and an
 exact report of who sent how many messages and bytes to whom.
 .
 Recording needs root and a kernel with BTF; reading a trace does not.
END
deb=$out/ipctrace_${version}_$arch.deb
dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >/dev/null
echo "  DEB     $deb"
