// SPDX-License-Identifier: GPL-2.0

// gosock: an ordinary cilium/ebpf program, built without any knowledge of
// bpfdev. It makes a hash map and a socket filter that counts datagrams by
// length in it (assembled with cilium/ebpf's asm), attaches the filter to
// its own UDP socket, sends datagrams over loopback and reads the counts
// back. "gosock loads N" instead loads N programs from 8 goroutines at once.
//
// Prints "gosock: packets=5 len21=2" and "gosock: ok" when the counts are
// what was sent; exits 1 otherwise.
package main

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/rlimit"

	"udpcount"
)

func fail(format string, args ...interface{}) {
	udpcount.Fail("gosock", format, args...)
}

// counter: key skb->len (u32), value a count (u64), added to atomically
func counter(m *ebpf.Map) asm.Instructions {
	return asm.Instructions{
		asm.Mov.Reg(asm.R6, asm.R1),
		asm.LoadMem(asm.R1, asm.R6, 0, asm.Word), // skb->len
		asm.StoreMem(asm.RFP, -4, asm.R1, asm.Word),
		asm.StoreImm(asm.RFP, -16, 1, asm.DWord),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, -4),
		asm.LoadMapPtr(asm.R1, m.FD()),
		asm.FnMapLookupElem.Call(),
		asm.JEq.Imm(asm.R0, 0, "new"),
		asm.Mov.Imm(asm.R1, 1),
		asm.StoreXAdd(asm.R0, asm.R1, asm.DWord),
		asm.Ja.Label("out"),
		asm.LoadMapPtr(asm.R1, m.FD()).WithSymbol("new"),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, -4),
		asm.Mov.Reg(asm.R3, asm.RFP),
		asm.Add.Imm(asm.R3, -16),
		asm.Mov.Imm(asm.R4, 0),
		asm.FnMapUpdateElem.Call(),
		asm.LoadMem(asm.R0, asm.R6, 0, asm.Word).WithSymbol("out"),
		asm.Return(),
	}
}

func count() {
	m, err := ebpf.NewMap(&ebpf.MapSpec{Type: ebpf.Hash, KeySize: 4,
		ValueSize: 8, MaxEntries: 64})
	if err != nil {
		fail("map: %v", err)
	}
	prog, err := ebpf.NewProgram(&ebpf.ProgramSpec{
		Type: ebpf.SocketFilter, License: "GPL",
		Instructions: counter(m),
	})
	if err != nil {
		fail("program: %v", err)
	}
	udpcount.Check("gosock", prog, m)
}

// loads: @n programs loaded by 8 goroutines at once; Go preempts them with
// SIGURG whenever it likes. Every load must succeed exactly once.
func loads(n int) {
	var next, failed, done int64
	var wg sync.WaitGroup

	// garbage collections stop the world: SIGURG to running threads
	go func() {
		for atomic.LoadInt64(&done) == 0 {
			runtime.GC()
		}
	}()

	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for atomic.AddInt64(&next, 1) <= int64(n) {
				prog, err := ebpf.NewProgram(&ebpf.ProgramSpec{
					Type: ebpf.SocketFilter, License: "GPL",
					Instructions: asm.Instructions{
						asm.Mov.Imm(asm.R0, 0),
						asm.Return(),
					},
				})
				if err != nil {
					fmt.Fprintf(os.Stderr, "gosock: load: %v\n", err)
					atomic.AddInt64(&failed, 1)
					continue
				}
				prog.Close()
			}
		}()
	}
	wg.Wait()
	atomic.StoreInt64(&done, 1)
	fmt.Printf("gosock: loads=%d failures=%d\n", n, failed)
	if failed != 0 {
		os.Exit(1)
	}
}

func main() {
	// as cilium/ebpf's examples do; it probes with a map in its init()
	if err := rlimit.RemoveMemlock(); err != nil {
		fail("memlock: %v", err)
	}
	if len(os.Args) == 3 && os.Args[1] == "loads" {
		n, _ := strconv.Atoi(os.Args[2])
		loads(n)
		return
	}
	count()
}
