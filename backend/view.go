package backend

import (
	"context"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// A View is a named lineage picture of a project: what to select and how
// to draw it. It belongs to the project, not to a snapshot, so it draws
// the same question on every snapshot of the project, a resync's too.
type View struct {
	Project string `json:"project"`
	Name    string `json:"name"`
	ViewSpec
	SavedAt time.Time `json:"saved_at,omitzero"`
}

// ViewSpec is the picture a view draws, as a lineage request asks for it.
type ViewSpec struct {
	Select            string   `json:"select"`
	Exclude           string   `json:"exclude,omitempty"`
	IncludeTests      bool     `json:"include_tests,omitempty"`
	IndirectSelection string   `json:"indirect_selection,omitempty"`
	GroupBy           string   `json:"group_by,omitempty"`
	Open              []string `json:"open,omitempty"`
	Lens              string   `json:"lens,omitempty"`
	Runtime           bool     `json:"runtime,omitempty"`
	Diff              bool     `json:"diff,omitempty"`
	AcrossProjects    bool     `json:"across_projects,omitempty"`
}

// MaxViewName is the longest view name, in characters.
const MaxViewName = 80

// CheckViewName says what is wrong with a view's name: empty, too long,
// or holding control characters (a name is shown in menus and listed in
// a terminal).
func CheckViewName(name string) error {
	switch {
	case strings.TrimSpace(name) == "":
		return Errorf(EINVALID, "a view needs a name")
	case !utf8.ValidString(name):
		return Errorf(EINVALID, "view name %q is not valid UTF-8", name)
	case utf8.RuneCountInString(name) > MaxViewName:
		return Errorf(EINVALID, "view name %q is longer than %d characters; give a shorter one", name, MaxViewName)
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		return Errorf(EINVALID, "view name %q holds control characters; give one of printable characters", name)
	case strings.TrimSpace(name) != name:
		return Errorf(EINVALID, "view name %q starts or ends with spaces", name)
	}
	return nil
}

// ViewStore keeps saved views. Implemented by storage.Store.
type ViewStore interface {
	// SaveView inserts the view, or replaces the project's view of that name.
	SaveView(ctx context.Context, v View) error
	// Views lists a project's views by name.
	Views(ctx context.Context, project string) ([]View, error)
	// DeleteView removes one; ENOTFOUND when the project has none of that name.
	DeleteView(ctx context.Context, project, name string) error
}
