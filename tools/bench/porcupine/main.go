package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"time"

	porc "github.com/anishathalye/porcupine"
)

type in struct {
	Op     string      `json:"op"`
	Key    string      `json:"key"`
	Value  interface{} `json:"value"`
	Expect interface{} `json:"expect"`
}

type line struct {
	C    int                    `json:"c"`
	I    in                     `json:"i"`
	O    map[string]interface{} `json:"o"`
	Call int64                  `json:"call"`
	Ret  int64                  `json:"ret"`
}

func partition(h []porc.Operation) [][]porc.Operation {
	m := map[string][]porc.Operation{}
	var keys []string
	for _, op := range h {
		k := op.Input.(in).Key
		if _, ok := m[k]; !ok {
			keys = append(keys, k)
		}
		m[k] = append(m[k], op)
	}
	var out [][]porc.Operation
	for _, k := range keys {
		out = append(out, m[k])
	}
	return out
}

var register = porc.Model{
	Partition: partition,
	Init:      func() interface{} { return float64(0) },
	Step: func(s, i, o interface{}) (bool, interface{}) {
		inp := i.(in)
		out := o.(map[string]interface{})
		switch inp.Op {
		case "read":
			return out["value"] == s, s
		case "write":
			return true, inp.Value
		default:
			holds := s == inp.Expect
			if out["swapped"].(bool) != holds {
				return false, s
			}
			if holds {
				return true, inp.Value
			}
			return true, s
		}
	},
}

var kv = porc.Model{
	Partition: partition,
	Init:      func() interface{} { return "" },
	Step: func(s, i, o interface{}) (bool, interface{}) {
		inp := i.(in)
		out := o.(map[string]interface{})
		st := s.(string)
		switch inp.Op {
		case "get":
			return out["value"] == st, st
		case "put":
			return true, inp.Value.(string)
		default:
			return true, st + inp.Value.(string)
		}
	},
}

func main() {
	file, model := os.Args[1], os.Args[2]
	f, _ := os.Open(file)
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	var h []porc.Operation
	for sc.Scan() {
		var l line
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			panic(err)
		}
		h = append(h, porc.Operation{ClientId: l.C, Input: l.I, Call: l.Call, Output: l.O, Return: l.Ret})
	}
	m := register
	if model == "kv" {
		m = kv
	}
	var times []float64
	var res porc.CheckResult
	for r := 0; r < 3; r++ {
		t0 := time.Now()
		res = porc.CheckOperationsTimeout(m, h, 30*time.Second)
		times = append(times, float64(time.Since(t0).Microseconds())/1000)
	}
	sort.Float64s(times)
	fmt.Printf("%s %s %d ops: %s median %.1f ms (runs %v)\n", file, model, len(h), res, times[1], times)
}
