package rag

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	chromem "github.com/philippgille/chromem-go"
)

// The index is ONE file: a JSON header line, then chromem-go's export of the
// collection (gob, gzip). The header carries the fingerprint the index was
// built for and a SHA-256 of the payload, so a stale, truncated or corrupt
// file is detected before any of it is used.
const (
	indexFileName = "index.chromem"
	indexFormat   = "careerbot-index/1"
)

type indexHeader struct {
	Format      string `json:"format"`
	Fingerprint string `json:"fingerprint"`
	Chunks      int    `json:"chunks"`
	PayloadHash string `json:"payload_sha256"`
}

// staleTempAge is how long a temp index file must have gone unmodified to
// count as left behind by a writer that died (kill -9, a crash, a full
// disk). A live writer writes from a buffer already in memory and renames
// within seconds; another bot on the same data dir may be doing it right
// now, so younger files are left alone.
const staleTempAge = 2 * time.Minute

// removeStaleTemps deletes the .index-*.tmp files of dead writers in dir,
// so that a crash loop during index writes cannot fill the disk.
func removeStaleTemps(dir string, now time.Time, log *slog.Logger) {
	names, _ := filepath.Glob(filepath.Join(dir, ".index-*.tmp"))
	for _, name := range names {
		info, err := os.Lstat(name)
		if err != nil || !info.Mode().IsRegular() || now.Sub(info.ModTime()) < staleTempAge {
			continue
		}
		if err := os.Remove(name); err != nil {
			log.Warn("could not remove a stale temp index file", "file", name, "err", err)
			continue
		}
		log.Info("removed a temp index file left by an interrupted write", "file", name, "bytes", info.Size())
	}
}

// saveIndexFile writes the index atomically: a temp file in the same
// directory, fsync, rename over the old file, fsync the directory. Readers
// (including another bot on the same data dir) see the old file or the new
// one, never a mix.
func saveIndexFile(path, fp string, chunks int, db *chromem.DB) error {
	var payload bytes.Buffer
	if err := db.ExportToWriter(&payload, true, "", collectionName); err != nil {
		return fmt.Errorf("exporting the collection: %w", err)
	}
	sum := sha256.Sum256(payload.Bytes())
	header, err := json.Marshal(indexHeader{Format: indexFormat, Fingerprint: fp, Chunks: chunks, PayloadHash: hex.EncodeToString(sum[:])})
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("creating data dir: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".index-*.tmp")
	if err != nil {
		return fmt.Errorf("creating temp index file: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	w := bufio.NewWriter(tmp)
	w.Write(header)
	w.WriteByte('\n')
	w.Write(payload.Bytes())
	if err := w.Flush(); err != nil {
		tmp.Close()
		return fmt.Errorf("writing temp index file: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("syncing temp index file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("closing temp index file: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("replacing index file: %w", err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync() // best effort: makes the rename durable on Linux
		d.Close()
	}
	return nil
}

// loadIndexFile returns the collection stored at path when it was built for
// fingerprint fp and holds exactly the given chunks.
func loadIndexFile(path, fp string, chunks []Chunk) (*chromem.Collection, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	nl := bytes.IndexByte(data, '\n')
	if nl < 0 {
		return nil, errors.New("no header (empty or truncated file)")
	}
	var h indexHeader
	if err := json.Unmarshal(data[:nl], &h); err != nil {
		return nil, fmt.Errorf("bad header: %w", err)
	}
	if h.Format != indexFormat {
		return nil, fmt.Errorf("format %q, want %q", h.Format, indexFormat)
	}
	if h.Fingerprint != fp {
		return nil, errors.New("built for another corpus, chunker or embedder")
	}
	payload := data[nl+1:]
	sum := sha256.Sum256(payload)
	if hex.EncodeToString(sum[:]) != h.PayloadHash {
		return nil, errors.New("checksum mismatch (truncated or corrupt file)")
	}
	db := chromem.NewDB()
	if err := db.ImportFromReader(bytes.NewReader(payload), "", collectionName); err != nil {
		return nil, fmt.Errorf("importing: %w", err)
	}
	coll := db.GetCollection(collectionName, refuseEmbedding)
	if coll == nil {
		return nil, errors.New("no chunks collection in file")
	}
	if coll.Count() != len(chunks) || h.Chunks != len(chunks) {
		return nil, fmt.Errorf("holds %d chunks, corpus has %d", coll.Count(), len(chunks))
	}
	return coll, nil
}
