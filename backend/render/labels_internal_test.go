package render

import "testing"

func TestLabelText(t *testing.T) {
	// A bidi override would show orders_\u202Eeulav as "orders_value".
	if got := clean("orders_\u202Eeulav \u2066x\u2069 a\u2028b \u200Fc\U000E0041", 60); got != "orders_\uFFFDeulav \uFFFDx\uFFFD a\uFFFDb \uFFFDc\uFFFD" {
		t.Errorf("clean kept reordering characters: %q", got)
	}
	// Folder boxes differ at their end: the middle goes.
	long := "the_tuva_project/models/claims_preprocessing/acute_inpatient/staging"
	got := cleanMiddle(long, 40)
	if r := []rune(got); len(r) != 40 || string(r[len(r)-7:]) != "staging" || string(r[:4]) != "the_" {
		t.Errorf("cleanMiddle(%q, 40) = %q (%d runes)", long, got, len(r))
	}
	if got := cleanMiddle("models/marts", 40); got != "models/marts" {
		t.Errorf("a short label changed: %q", got)
	}
	for _, c := range []struct {
		typ  string
		n    int
		want string
	}{{"model", 1, "model"}, {"model", 2, "models"}, {"semantic_model", 3, "semantic models"}, {"analysis", 2, "analyses"}, {"saved_query", 2, "saved queries"}, {"seed", 5, "seeds"}} {
		if got := typeNoun(c.typ, c.n); got != c.want {
			t.Errorf("typeNoun(%s, %d) = %q, want %q", c.typ, c.n, got, c.want)
		}
	}
}
