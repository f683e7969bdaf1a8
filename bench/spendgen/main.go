// Command spendgen builds a large spend file for the import and report
// benchmarks by replicating a council's published file: copy k is shifted
// back k years (dates) and gets distinct transaction numbers, so no line of
// one copy duplicates a line of another.
//
//	go run ./bench/spendgen -in ../shared/data/spend/trafford/trafford-supplier-spend-2024-25.zip -copies 24 -out /tmp/spend-5m.csv
package main

import (
	"archive/zip"
	"bufio"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

func main() {
	in := flag.String("in", "", "published spend file (.csv or .zip with one CSV)")
	out := flag.String("out", "", "CSV to write")
	copies := flag.Int("copies", 24, "how many shifted copies")
	flag.Parse()
	if err := run(*in, *out, *copies); err != nil {
		fmt.Fprintln(os.Stderr, "spendgen:", err)
		os.Exit(1)
	}
}

func open(path string) (io.ReadCloser, error) {
	if !strings.HasSuffix(strings.ToLower(path), ".zip") {
		return os.Open(path)
	}
	z, err := zip.OpenReader(path)
	if err != nil {
		return nil, err
	}
	if len(z.File) == 0 {
		return nil, fmt.Errorf("%s is empty", path)
	}
	return z.File[0].Open()
}

func run(in, out string, copies int) error {
	r, err := open(in)
	if err != nil {
		return err
	}
	defer r.Close()
	rows, err := csv.NewReader(bufio.NewReaderSize(r, 1<<20)).ReadAll()
	if err != nil {
		return err
	}
	head := rows[0]
	col := func(name string) int {
		for i, h := range head {
			if strings.EqualFold(strings.TrimSpace(h), name) {
				return i
			}
		}
		return -1
	}
	dates := []int{col("PaymentDate"), col("EffectiveDate")}
	txn := col("TransactionNumber")
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<20)
	w := csv.NewWriter(bw)
	if err := w.Write(head); err != nil {
		return err
	}
	n := 0
	for k := 0; k < copies; k++ {
		for _, row := range rows[1:] {
			rec := append([]string(nil), row...)
			for _, c := range dates {
				if c >= 0 {
					if d, err := time.Parse(time.DateOnly, rec[c]); err == nil {
						rec[c] = d.AddDate(-k, 0, 0).Format(time.DateOnly)
					}
				}
			}
			if txn >= 0 && k > 0 {
				rec[txn] = fmt.Sprintf("%s-%d", rec[txn], k)
			}
			if err := w.Write(rec); err != nil {
				return err
			}
			n++
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	fmt.Printf("wrote %d rows to %s\n", n, out)
	return nil
}
