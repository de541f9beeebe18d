// omni_turn.go — libomni_c from Go through cgo, with the event callback: one sim turn
// (prefill a WAV, generate, collect text and PCM), a second turn interrupted at its first
// audio, the reply written as a WAV file, and what came back checked.
//
//	CGO_CFLAGS=-I<omni>/capi/include CGO_LDFLAGS="-L<dir of libomni_c> -lomni_c" go build
//	./omniturn question.wav reply.wav
package main

/*
#cgo LDFLAGS: -lomni_c
#include <stdlib.h>
#include "omni_c.h"

// Defined in Go below (//export); runs on the engine's threads.
extern void goOnEvent(omni_event *ev, void *user_data);
*/
import "C"

import (
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"runtime/cgo"
	"strings"
	"sync"
	"unsafe"
)

// What the callback saw. The callback runs on engine threads (cgo attaches them to the
// Go runtime), one event at a time, so a mutex is enough.
type turnLog struct {
	mu          sync.Mutex
	engine      *C.omni_engine
	interruptAt bool // interrupt the turn at its first AUDIO (from inside the callback)
	types       []int
	text        strings.Builder
	pcm         []int16
	sampleRate  int
	lastSeq     uint64
	seqOK       bool
	doneStatus  int
	doneText    string
}

//export goOnEvent
func goOnEvent(ev *C.omni_event, userData unsafe.Pointer) {
	// user_data holds a cgo.Handle: Go pointers may not be kept by C.
	t := cgo.Handle(*(*C.uintptr_t)(userData)).Value().(*turnLog)
	t.mu.Lock()
	defer t.mu.Unlock()
	if uint64(ev.seq) <= t.lastSeq {
		t.seqOK = false
	}
	t.lastSeq = uint64(ev.seq)
	t.types = append(t.types, int(ev._type))
	// ev and everything it points to live only during this call: copy.
	switch ev._type {
	case C.OMNI_EVENT_TEXT:
		t.text.WriteString(C.GoStringN(ev.text, C.int(ev.text_len)))
	case C.OMNI_EVENT_AUDIO:
		t.pcm = append(t.pcm, unsafe.Slice((*int16)(unsafe.Pointer(ev.pcm)), int(ev.n_samples))...)
		t.sampleRate = int(ev.sample_rate)
		if t.interruptAt {
			t.interruptAt = false
			C.omni_interrupt(t.engine) // the one call allowed from the callback
		}
	case C.OMNI_EVENT_TURN_DONE:
		t.doneStatus = int(ev.status)
		t.doneText = C.GoString(ev.text)
	}
}

func check(st C.omni_status, what string) {
	if st != C.OMNI_OK {
		fmt.Printf("FAIL: %s: %s: %s\n", what, C.GoString(C.omni_status_name(C.int(st))), C.GoString(C.omni_last_error()))
		os.Exit(1)
	}
}

// runTurn prefills the WAV, generates, and waits for TURN_DONE.
func runTurn(e *C.omni_engine, wav []byte) {
	check(C.omni_prefill_audio_file(e, unsafe.Pointer(&wav[0]), C.size_t(len(wav))), "omni_prefill_audio_file")
	check(C.omni_generate(e, nil), "omni_generate")
	check(C.omni_wait(e, 10000), "omni_wait")
}

// writeWav writes 16-bit mono PCM; Go's standard library has no WAV writer and the
// header is 44 bytes.
func writeWav(path string, pcm []int16, rate int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	n := uint32(2 * len(pcm))
	hdr := []interface{}{[4]byte{'R', 'I', 'F', 'F'}, 36 + n, [4]byte{'W', 'A', 'V', 'E'}, [4]byte{'f', 'm', 't', ' '},
		uint32(16), uint16(1), uint16(1), uint32(rate), uint32(2 * rate), uint16(2), uint16(16),
		[4]byte{'d', 'a', 't', 'a'}, n, pcm}
	for _, v := range hdr {
		if err := binary.Write(f, binary.LittleEndian, v); err != nil {
			return err
		}
	}
	return nil
}

func main() {
	if len(os.Args) != 3 {
		fmt.Println("usage: omniturn question.wav reply.wav")
		os.Exit(2)
	}
	if abi := uint32(C.omni_abi_version()); abi>>16 != C.OMNI_ABI_VERSION_MAJOR {
		fmt.Printf("FAIL: libomni_c has ABI %d, this program needs %d\n", abi>>16, C.OMNI_ABI_VERSION_MAJOR)
		os.Exit(1)
	}
	wav, err := os.ReadFile(os.Args[1])
	if err != nil || len(wav) == 0 {
		fmt.Println("FAIL: cannot read", os.Args[1])
		os.Exit(1)
	}

	log := &turnLog{seqOK: true}
	handle := cgo.NewHandle(log)
	defer handle.Delete()
	ud := (*C.uintptr_t)(C.malloc(C.size_t(unsafe.Sizeof(C.uintptr_t(0)))))
	defer C.free(unsafe.Pointer(ud))
	*ud = C.uintptr_t(handle)

	kind, key, value := C.CString("sim"), C.CString("language"), C.CString("en")
	defer C.free(unsafe.Pointer(kind))
	defer C.free(unsafe.Pointer(key))
	defer C.free(unsafe.Pointer(value))
	keys, values := []*C.char{key}, []*C.char{value}
	var e *C.omni_engine
	check(C.omni_create(kind, &keys[0], &values[0], 1, C.omni_event_cb(C.goOnEvent), unsafe.Pointer(ud), &e),
		"omni_create")
	log.engine = e

	runTurn(e, wav)
	log.mu.Lock()
	text, pcm, rate, types := log.text.String(), log.pcm, log.sampleRate, log.types
	done1, seqOK := log.doneStatus, log.seqOK
	log.types, log.pcm, log.text, log.interruptAt = nil, nil, strings.Builder{}, true
	log.mu.Unlock()

	runTurn(e, wav) // interrupted at its first AUDIO by the callback
	check(C.omni_destroy(e), "omni_destroy")

	if err := writeWav(os.Args[2], pcm, rate); err != nil {
		fmt.Println("FAIL: writing", os.Args[2], err)
		os.Exit(1)
	}
	var sumSq float64
	for _, s := range pcm {
		sumSq += float64(s) * float64(s)
	}
	rms := math.Sqrt(sumSq/float64(len(pcm)+1)) / 32768
	var problems []string
	if !strings.HasPrefix(text, "Turn 1. I heard ") || !strings.Contains(text, "seconds of audio") {
		problems = append(problems, fmt.Sprintf("turn 1 text %q", text))
	}
	if rate != 24000 || rms < 0.05 {
		problems = append(problems, fmt.Sprintf("turn 1 audio: %d Hz, rms %.3f", rate, rms))
	}
	if n := len(types); n < 2 || types[n-2] != C.OMNI_EVENT_STATS || types[n-1] != C.OMNI_EVENT_TURN_DONE ||
		done1 != C.OMNI_TURN_COMPLETED {
		problems = append(problems, fmt.Sprintf("turn 1 ends with %v, reason %d", types, done1))
	}
	if !strings.HasPrefix(log.text.String(), "Turn 2.") || log.doneStatus != C.OMNI_TURN_INTERRUPTED ||
		log.doneText != "interrupted" || !seqOK || !log.seqOK {
		problems = append(problems, fmt.Sprintf("turn 2: %q, reason %d %q", log.text.String(), log.doneStatus, log.doneText))
	}
	fmt.Printf("go: turn 1: %d events, %d samples (%.1f s, rms %.2f), text %q; turn 2: %s after %d samples; wrote %s\n",
		len(types), len(pcm), float64(len(pcm))/24000, rms, text, log.doneText, len(log.pcm), os.Args[2])
	if len(problems) > 0 {
		fmt.Println("FAIL:", strings.Join(problems, "; "))
		os.Exit(1)
	}
	fmt.Println("go consumer OK")
}
