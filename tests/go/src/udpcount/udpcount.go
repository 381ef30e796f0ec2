// SPDX-License-Identifier: GPL-2.0

// Package udpcount is what the Go test programs share: a socket filter
// attached to a UDP socket of their own, five datagrams sent over
// loopback, and the counts the filter kept checked.
package udpcount

import (
	"fmt"
	"net"
	"os"

	"github.com/cilium/ebpf"
	"golang.org/x/sys/unix"
)

// Fail prints "NAME: message" on standard error and exits 1.
func Fail(name, format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, name+": "+format+"\n", args...)
	os.Exit(1)
}

// Check attaches @prog to a UDP socket, sends five datagrams to it and
// checks the counts in @m, keyed by length (8 bytes of UDP header + the
// payload): "NAME: packets=5 len21=2", then "NAME: ok".
func Check(name string, prog *ebpf.Program, m *ebpf.Map) {
	rx, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		Fail(name, "listen: %v", err)
	}
	raw, err := rx.SyscallConn()
	if err != nil {
		Fail(name, "%v", err)
	}
	raw.Control(func(fd uintptr) {
		err = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET,
			unix.SO_ATTACH_BPF, prog.FD())
	})
	if err != nil {
		Fail(name, "SO_ATTACH_BPF: %v", err)
	}
	tx, err := net.DialUDP("udp4", nil, rx.LocalAddr().(*net.UDPAddr))
	if err != nil {
		Fail(name, "dial: %v", err)
	}
	buf := make([]byte, 64)
	for _, p := range []string{"short", "thirteen byte",
		"a longer payload here", "thirteen byte", "x"} {
		if _, err := tx.Write([]byte(p)); err != nil {
			Fail(name, "send: %v", err)
		}
		if _, err := rx.Read(buf); err != nil {
			Fail(name, "receive: %v", err)
		}
	}
	var key uint32
	var value, packets uint64
	it := m.Iterate()
	for it.Next(&key, &value) {
		packets += value
	}
	if err := it.Err(); err != nil {
		Fail(name, "iterate: %v", err)
	}
	if err := m.Lookup(uint32(8+13), &value); err != nil {
		Fail(name, "lookup: %v", err)
	}
	fmt.Printf("%s: packets=%d len21=%d\n", name, packets, value)
	if packets != 5 || value != 2 {
		Fail(name, "wrong counts")
	}
	fmt.Printf("%s: ok\n", name)
}
