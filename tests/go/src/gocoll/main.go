// SPDX-License-Identifier: GPL-2.0

// gocoll OBJECT: an ordinary cilium/ebpf program that loads a clang-built
// ELF object (gocount.bpf.o: a BTF-described hash map and a socket filter)
// as a CollectionSpec, attaches the filter to its own UDP socket, sends
// datagrams over loopback and reads the counts back.
//
// Prints "gocoll: packets=5 len21=2" and "gocoll: ok" when the counts are
// what was sent; exits 1 otherwise.
package main

import (
	"os"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/rlimit"

	"udpcount"
)

func fail(format string, args ...interface{}) {
	udpcount.Fail("gocoll", format, args...)
}

func main() {
	if len(os.Args) != 2 {
		fail("usage: gocoll OBJECT")
	}
	if err := rlimit.RemoveMemlock(); err != nil {
		fail("memlock: %v", err)
	}
	spec, err := ebpf.LoadCollectionSpec(os.Args[1])
	if err != nil {
		fail("spec: %v", err)
	}
	coll, err := ebpf.NewCollection(spec)
	if err != nil {
		fail("collection: %v", err)
	}
	defer coll.Close()
	prog, m := coll.Programs["count_len"], coll.Maps["counts"]
	if prog == nil || m == nil {
		fail("no count_len or counts in %s", os.Args[1])
	}
	udpcount.Check("gocoll", prog, m)
}
