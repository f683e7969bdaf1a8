package fund

import (
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"
)

// Whenever affineSpan vouches for a span of increments, the exact run at
// every increment of that span selects what it says — including runs that
// resume from rounds kept from an earlier, wider span, and spans in which a
// project unaffordable at the start may become affordable (late rivals).
func TestAffineSpanAgreesWithExact(t *testing.T) {
	r := rand.New(rand.NewPCG(31, 7))
	vouched, resumed, cut, late, replayed := 0, 0, 0, 0, 0
	for trial := range 150 {
		e := randomElection(r)
		// priced in small units, so that outcomes last many increments
		e.Budget.Mul(e.Budget, big.NewRat(int64(50+r.IntN(200)), 1))
		for p := range e.Projects {
			e.Projects[p].Cost = new(big.Rat).Mul(e.Projects[p].Cost, big.NewRat(int64(100+r.IntN(100)), 1))
		}
		if trial%3 == 0 && len(e.Ballots) > 1 {
			e.Groups = make([]int, len(e.Ballots))
			for v := range e.Groups {
				e.Groups[v] = r.IntN(2)
			}
			e.Shares = []*big.Rat{big.NewRat(1, 3), big.NewRat(2, 3)}
		}
		pe := prepare(e)
		span := 32.0
		for k := int64(0); k < 400; {
			sel, got, ok := pe.affineSpan(k, span)
			if !ok {
				k++
				continue
			}
			vouched++
			if pe.span.resumed {
				resumed++
			}
			if got < span {
				cut++
			}
			for j := k; j <= k+int64(got); j++ {
				if exact := pe.mes(big.NewRat(j, 1)).Selected; !slices.Equal(exact, sel) {
					t.Fatalf("trial %d: affineSpan vouched for %v from +%d to +%d, exact at +%d: %v", trial, sel, k, k+int64(got), j, exact)
				}
			}
			k += int64(got) + 1
			span = max(4*got, 8)
		}
		if pe.span != nil {
			late += pe.span.late
			replayed += pe.span.replayed
		}
	}
	if vouched < 1000 || resumed < 100 || cut < 100 || late < 100 || replayed < 20 {
		t.Fatalf("too few spans exercised: %d vouched, %d resumed, %d cut short, %d late rivals, %d replayed", vouched, resumed, cut, late, replayed)
	}
	t.Logf("%d spans vouched, %d resumed, %d cut short, %d late rivals, %d replayed", vouched, resumed, cut, late, replayed)
}
