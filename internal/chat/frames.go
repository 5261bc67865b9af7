package chat

import (
	"sync"

	"github.com/careerbot/careerbot/protocol"
)

// Frames are encoded by package protocol (by hand for the frames of every
// answer: see protocol/encode.go); this file only pools their buffers.

// encodePooled is the frame's JSON in a buffer from wirePool, for frames the
// writer sends and then gives back (releaseFrame): the frames of an answer
// were most of the chat server's own allocated bytes.
func encodePooled(f protocol.Frame) (*[]byte, error) {
	buf := wirePool.Get().(*[]byte)
	data, err := protocol.Append((*buf)[:0], f)
	if err != nil {
		releaseFrame(buf)
		return nil, err
	}
	*buf = data
	return buf, nil
}

func releaseFrame(buf *[]byte) {
	if cap(*buf) <= 64<<10 { // a rare huge frame is not kept
		wirePool.Put(buf)
	}
}

var wirePool = sync.Pool{New: func() any { return new([]byte) }}

// encodeFrame is the JSON text of a server frame in a slice of its own, for
// frames that are not given back to wirePool.
func encodeFrame(f protocol.Frame) ([]byte, error) { return protocol.Encode(f) }
