package doctor

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"fmt"
)

// exitCode is the machine code of exit(0) (the exit system call) per
// GOARCH.
var exitCode = map[string]struct {
	machine elf.Machine
	code    []byte
}{
	// xor edi, edi; mov eax, 60; syscall
	"amd64": {elf.EM_X86_64, []byte{0x31, 0xff, 0xb8, 0x3c, 0, 0, 0, 0x0f, 0x05}},
	// mov x0, #0; mov x8, #93; svc #0
	"arm64": {elf.EM_AARCH64, []byte{0x00, 0x00, 0x80, 0xd2, 0xa8, 0x0b, 0x80, 0xd2, 0x01, 0x00, 0x00, 0xd4}},
}

// exitProgram returns a static Linux executable for goarch that exits 0:
// an ELF header, one loadable segment and the exit system call. It is the
// only file of doctor's probe image, so the probe works whether or not
// the running binary is statically linked (a go test binary is not).
func exitProgram(goarch string) ([]byte, error) {
	ec, ok := exitCode[goarch]
	if !ok {
		return nil, fmt.Errorf("doctor's probe program: unsupported architecture %s (amd64 and arm64 are)", goarch)
	}
	const base = 0x400000
	hdrSize := binary.Size(elf.Header64{}) + binary.Size(elf.Prog64{})
	size := uint64(hdrSize + len(ec.code))
	var ident [elf.EI_NIDENT]byte
	copy(ident[:], elf.ELFMAG)
	ident[elf.EI_CLASS], ident[elf.EI_DATA], ident[elf.EI_VERSION] = byte(elf.ELFCLASS64), byte(elf.ELFDATA2LSB), byte(elf.EV_CURRENT)
	h := elf.Header64{
		Ident: ident, Type: uint16(elf.ET_EXEC), Machine: uint16(ec.machine), Version: uint32(elf.EV_CURRENT),
		Entry: base + uint64(hdrSize), Phoff: uint64(binary.Size(elf.Header64{})),
		Ehsize: uint16(binary.Size(elf.Header64{})), Phentsize: uint16(binary.Size(elf.Prog64{})), Phnum: 1,
	}
	p := elf.Prog64{
		Type: uint32(elf.PT_LOAD), Flags: uint32(elf.PF_R | elf.PF_X),
		Vaddr: base, Paddr: base, Filesz: size, Memsz: size, Align: 0x1000,
	}
	var b bytes.Buffer
	for _, v := range []any{h, p} {
		if err := binary.Write(&b, binary.LittleEndian, v); err != nil {
			return nil, err
		}
	}
	b.Write(ec.code)
	return b.Bytes(), nil
}
