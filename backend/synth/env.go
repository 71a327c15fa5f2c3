package synth

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// environment is the plan plus everything derived from it once: warehouse
// names, timestamps, macros, docs, children and build outcomes.
type environment struct {
	p            *plan
	pkg          string
	database     string
	target       string // target schema, the prefix of custom schemas
	parsedAt     time.Time
	generatedAt  time.Time
	invocationID string
	projectID    string
	userID       string
	children     [][]int32
	macros       []macroDef
	docs         []docDef
	outcome      []outcome // build result per node; zero for nodes not run
}

func newEnvironment(p *plan) *environment {
	r := rand.New(rand.NewPCG(uint64(p.spec.Seed), 0xe1))
	// A fixed epoch keeps output reproducible; the seed moves it within ~a year.
	base := time.Date(2026, 1, 5, 6, 0, 0, 0, time.UTC).Add(time.Duration(r.IntN(365*24*3600)) * time.Second)
	e := &environment{
		p: p, pkg: p.spec.ProjectName, database: "analytics", target: "main",
		parsedAt:     base,
		generatedAt:  base.Add(time.Duration(40+r.IntN(80))*time.Second + time.Duration(r.IntN(1e6))*time.Microsecond),
		invocationID: uuid(r), userID: uuid(r),
	}
	e.projectID = strings.ReplaceAll(uuid(r), "-", "")
	if p.spec.Adapter == "postgres" {
		e.target = "dbt_prod"
	}
	e.children = make([][]int32, len(p.nodes))
	for i, n := range p.nodes {
		for _, parent := range n.parents {
			e.children[parent] = append(e.children[parent], int32(i))
		}
	}
	for i := range e.children {
		slices.SortFunc(e.children[i], func(a, b int32) int { return strings.Compare(p.nodes[a].id, p.nodes[b].id) })
	}
	e.macros = planMacros(p, r)
	e.docs = planDocs(p)
	e.outcome = planOutcomes(p, e.children)
	return e
}

func uuid(r *rand.Rand) string {
	a, b := r.Uint64(), r.Uint64()
	return fmt.Sprintf("%08x-%04x-4%03x-%04x-%012x", a>>32, (a>>16)&0xffff, a&0xfff, (b>>48)&0x3fff|0x8000, b&0xffffffffffff)
}

// ts formats like dbt's generated_at: microseconds and a Z suffix.
func ts(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000Z") }

// epoch is a created_at value: parse time plus a per-node offset.
func (e *environment) epoch(i int) float64 {
	return float64(e.parsedAt.UnixMicro())/1e6 - 90 + float64(i%50000)*0.0007
}

func (e *environment) schemaOf(n *node) string {
	switch {
	case n.rtype == rtSource:
		return "raw_" + n.system
	case n.rtype == rtSeed:
		return e.target + "_seeds"
	case n.rtype == rtSnapshot:
		return "snapshots"
	case n.rtype == rtTest:
		return e.target + "_dbt_test__audit"
	case n.layer == layerStaging:
		return e.target + "_staging"
	case n.layer == layerIntermediate:
		return e.target + "_intermediate"
	default:
		return e.target + "_" + n.folder
	}
}

// customSchema is the configured `schema` (what +schema in dbt_project.yml says).
func (e *environment) customSchema(n *node) string {
	s := e.schemaOf(n)
	if after, ok := strings.CutPrefix(s, e.target+"_"); ok {
		return after
	}
	return ""
}

func (e *environment) relation(n *node) string {
	if n.material == "ephemeral" || n.rtype == rtTest {
		return ""
	}
	return fmt.Sprintf(`"%s"."%s"."%s"`, e.database, e.schemaOf(n), n.name)
}

// filePath is the node's path relative to the project root.
func (e *environment) filePath(n *node) string {
	switch n.rtype {
	case rtSeed:
		return "seeds/" + n.name + ".csv"
	case rtSnapshot:
		return "snapshots/" + n.name + ".sql"
	case rtSource:
		return fmt.Sprintf("models/staging/%s/_%s__sources.yml", n.folder, n.folder)
	}
	switch n.layer {
	case layerStaging:
		return fmt.Sprintf("models/staging/%s/%s.sql", n.folder, n.name)
	case layerIntermediate:
		return fmt.Sprintf("models/intermediate/%s/%s.sql", n.folder, n.name)
	default:
		return fmt.Sprintf("models/marts/%s/%s.sql", n.folder, n.name)
	}
}

// yamlPath is the properties file documenting a model (its patch_path).
func (e *environment) yamlPath(n *node) string {
	dir := e.filePath(n)
	dir = dir[:strings.LastIndexByte(dir, '/')]
	return fmt.Sprintf("%s/_%s__models.yml", dir, n.folder)
}

func (e *environment) fqn(n *node) []string {
	parts := strings.Split(strings.TrimSuffix(e.filePath(n), ".sql"), "/")
	if n.rtype == rtSeed {
		return []string{e.pkg, n.name}
	}
	if n.rtype == rtSnapshot {
		return []string{e.pkg, n.name, n.name}
	}
	return append([]string{e.pkg}, parts[1:]...)
}

func (e *environment) counts() Counts {
	p := e.p
	c := Counts{
		Sources: p.count(rtSource), Seeds: p.count(rtSeed), Snapshots: p.count(rtSnapshot),
		Models: p.count(rtModel), Staging: p.models[layerStaging], Intermediate: p.models[layerIntermediate],
		Marts: p.models[layerMart], Exposures: p.count(rtExposure), SemanticModels: p.count(rtSemanticModel),
		Metrics: p.count(rtMetric), Groups: len(p.martDomains), Macros: len(e.macros), Docs: len(e.docs),
		RunStatus: map[string]int{},
	}
	for i := range p.nodes {
		n := &p.nodes[i]
		if n.material == "ephemeral" {
			c.Ephemeral++
		}
		if n.test != nil {
			if n.test.kind == testSingular {
				c.SingularTests++
			} else {
				c.GenericTests++
			}
		}
		if e.outcome[i].status != "" {
			c.RunResults++
			c.RunStatus[e.outcome[i].status]++
		}
	}
	return c
}
