package audit

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// HeadFilePrefix and HeadFileSuffix frame the name of a head exported
// daily: audit-head-2026-12-07.json (a second export the same day gets
// audit-head-2026-12-07-2.json; none is ever replaced).
const (
	HeadFilePrefix = "audit-head-"
	HeadFileSuffix = ".json"
)

// maxSameDay bounds the exports of one day (a job retried after its node
// died once the file was written makes a second; a hundred means
// something is wrong).
const maxSameDay = 100

// CheckHeadDir reports, in words an operator can act on, why dir cannot
// take exported heads: it must exist, be a directory and be writable.
func CheckHeadDir(dir string) error {
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("the audit head directory %s does not exist: create it (writable by the hub, not by the database's users) or leave the setting empty", dir)
	case err != nil:
		return fmt.Errorf("the audit head directory %s cannot be read: %w", dir, err)
	case !st.IsDir():
		return fmt.Errorf("the audit head directory %s is a file, not a directory", dir)
	}
	f, err := os.CreateTemp(dir, ".svhub-check-*")
	if err != nil {
		return fmt.Errorf("the audit head directory %s is not writable by the hub: %w", dir, err)
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

// WriteHeadFile writes h as one JSON line to a file in dir named by day
// (UTC), and returns its path. The file appears whole or not at all (a
// temporary file, synced, then linked to its name), and an existing
// file is never replaced: a second export the same day gets the next
// free name (-2, -3, …).
func WriteHeadFile(dir string, day time.Time, h Head) (string, error) {
	line, err := json.Marshal(h)
	if err != nil {
		return "", err
	}
	tmp, err := os.CreateTemp(dir, ".audit-head-*.tmp")
	if err != nil {
		return "", fmt.Errorf("export the audit head to %s: %w", dir, err)
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(append(line, '\n'))
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o444)
	}
	if err != nil {
		return "", fmt.Errorf("export the audit head to %s: %w", dir, err)
	}
	base := HeadFilePrefix + day.UTC().Format(time.DateOnly)
	for n := 1; n <= maxSameDay; n++ {
		name := base + HeadFileSuffix
		if n > 1 {
			name = fmt.Sprintf("%s-%d%s", base, n, HeadFileSuffix)
		}
		path := filepath.Join(dir, name)
		// A hard link, unlike a rename, fails when the name is taken.
		err := os.Link(tmp.Name(), path)
		if err == nil {
			if d, err := os.Open(dir); err == nil {
				_ = d.Sync()
				d.Close()
			}
			return path, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return "", fmt.Errorf("export the audit head to %s: %w", path, err)
		}
	}
	return "", fmt.Errorf("export the audit head to %s: %d files for %s already exist", dir, maxSameDay, day.UTC().Format(time.DateOnly))
}

// maxHeadLine bounds one line of a heads file (a head is about 200 bytes).
const maxHeadLine = 4 << 10

// EachHead reads the heads in path, calling fn with each and where it is
// (FILE:LINE): path is a file of JSON lines ('svhub audit head --out') or
// a directory, whose audit-head-*.json files (the daily export) are read
// in name order. It returns how many heads it read.
func EachHead(path string, fn func(where string, h Head) error) (int, error) {
	st, err := os.Stat(path)
	if err != nil {
		return 0, err
	}
	files := []string{path}
	if st.IsDir() {
		entries, err := os.ReadDir(path)
		if err != nil {
			return 0, err
		}
		files = files[:0]
		for _, e := range entries {
			if name := e.Name(); e.Type().IsRegular() && strings.HasPrefix(name, HeadFilePrefix) && strings.HasSuffix(name, HeadFileSuffix) {
				files = append(files, filepath.Join(path, name))
			}
		}
		// By name without the suffix: a day's first export, its second
		// (-2), then the next day.
		sort.Slice(files, func(i, j int) bool {
			return strings.TrimSuffix(files[i], HeadFileSuffix) < strings.TrimSuffix(files[j], HeadFileSuffix)
		})
		if len(files) == 0 {
			return 0, fmt.Errorf("%s holds no exported heads (%s*%s files)", path, HeadFilePrefix, HeadFileSuffix)
		}
	}
	k := 0
	for _, file := range files {
		n, err := eachHeadIn(file, func(where string, h Head) error {
			k++
			return fn(where, h)
		})
		if err != nil {
			return k, err
		}
		if n == 0 && st.IsDir() {
			return k, fmt.Errorf("%s: empty, not a head written by svhub", file)
		}
	}
	return k, nil
}

func eachHeadIn(file string, fn func(where string, h Head) error) (int, error) {
	f, err := os.Open(file)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 512), maxHeadLine)
	line, k := 0, 0
	for sc.Scan() {
		line++
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		where := fmt.Sprintf("%s:%d", file, line)
		var h Head
		if err := json.Unmarshal(sc.Bytes(), &h); err != nil {
			return k, fmt.Errorf("%s: not a head written by svhub: %v", where, err)
		}
		if h.Hash == "" || h.Seq <= 0 {
			return k, fmt.Errorf("%s: not a head written by svhub: no sequence or hash", where)
		}
		k++
		if err := fn(where, h); err != nil {
			return k, fmt.Errorf("%s: %w", where, err)
		}
	}
	if errors.Is(sc.Err(), bufio.ErrTooLong) {
		return k, fmt.Errorf("%s:%d: a line longer than %d bytes: not a head written by svhub", file, line+1, maxHeadLine)
	}
	return k, sc.Err()
}
