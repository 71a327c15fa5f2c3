package synth

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

type extraCTE struct{ id, sql string }

// modelCode is a model's raw Jinja SQL and what dbt compiled it to.
type modelCode struct {
	raw, compiled string
	macros        []string
	extraCTEs     []extraCTE
}

// dualWriter writes the same SQL to the raw and the compiled text, except
// where Jinja (refs, macros) differs from its rendering.
type dualWriter struct{ raw, compiled strings.Builder }

func (d *dualWriter) both(s string) { d.raw.WriteString(s); d.compiled.WriteString(s) }
func (d *dualWriter) split(raw, compiled string) {
	d.raw.WriteString(raw)
	d.compiled.WriteString(compiled)
}

// modelSQL renders a CTE-style model: one import CTE per parent, a
// transformation CTE listing every column, and incremental logic.
func (e *environment) modelSQL(i int, r *rand.Rand) modelCode {
	n := &e.p.nodes[i]
	var d dualWriter
	var code modelCode
	if n.material == "incremental" {
		d.raw.WriteString(fmt.Sprintf("{{\n    config(\n        materialized='incremental',\n        unique_key='%s',\n        on_schema_change='append_new_columns'\n    )\n}}\n\n", n.pk))
		code.macros = append(code.macros, "macro.dbt.is_incremental")
	}
	d.both("with\n\n")
	ctes := make([]string, 0, len(n.parents))
	for k, pi := range n.parents {
		p := &e.p.nodes[pi]
		cte := p.name
		if p.rtype == rtSource {
			cte = "source_" + p.name
		}
		ctes = append(ctes, cte)
		if k > 0 {
			d.both(",\n\n")
		}
		d.both(cte + " as (\n\n    select * from ")
		switch {
		case p.rtype == rtSource:
			d.split(fmt.Sprintf("{{ source('%s', '%s') }}", p.system, p.name), e.relation(p))
		case p.material == "ephemeral":
			d.split(fmt.Sprintf("{{ ref('%s') }}", p.name), "__dbt__cte__"+p.name)
			code.extraCTEs = append(code.extraCTEs, extraCTE{p.id, fmt.Sprintf(" __dbt__cte__%s as (\nselect * from %s\n)", p.name, e.ephemeralBase(p))})
		default:
			d.split(fmt.Sprintf("{{ ref('%s') }}", p.name), e.relation(p))
		}
		if p.layer == layerStaging || p.rtype == rtSource {
			d.both("\n    where not coalesce(is_deleted, false)")
		}
		d.both("\n\n)")
	}
	d.both(",\n\nfinal as (\n\n    select\n")
	usesCents := false
	for k, c := range n.columns {
		if k > 0 {
			d.both(",\n")
		}
		src := ctes[k%len(ctes)]
		switch c.family {
		case "money":
			if !usesCents && r.IntN(3) == 0 {
				usesCents = true
				d.split(fmt.Sprintf("        {{ cents_to_dollars('%s.%s') }} as %s", src, c.name, c.name),
					fmt.Sprintf("        (%s.%s / 100)::numeric(16, 2) as %s", src, c.name, c.name))
				continue
			}
			d.both(fmt.Sprintf("        coalesce(%s.%s, 0)::numeric(18, 2) as %s", src, c.name, c.name))
		case "ts":
			d.both(fmt.Sprintf("        cast(%s.%s as timestamp) as %s", src, c.name, c.name))
		case "str":
			d.both(fmt.Sprintf("        nullif(trim(%s.%s), '') as %s", src, c.name, c.name))
		default:
			d.both(fmt.Sprintf("        %s.%s", src, c.name))
		}
	}
	d.both("\n\n    from " + ctes[0])
	for k := 1; k < len(ctes); k++ {
		key := e.p.nodes[n.parents[k]].pk
		d.both(fmt.Sprintf("\n    left join %s\n        on %s.%s = %s.%s", ctes[k], ctes[0], key, ctes[k], key))
	}
	d.both("\n\n)\n\nselect * from final\n")
	if n.material == "incremental" {
		d.split("\n{% if is_incremental() %}\n\n  where updated_at > (select max(updated_at) from {{ this }})\n\n{% endif %}\n",
			fmt.Sprintf("\n\n\n  where updated_at > (select max(updated_at) from %s)\n\n\n", e.relation(n)))
	}
	if usesCents {
		code.macros = append(code.macros, "macro."+e.pkg+".cents_to_dollars")
	}
	code.raw = d.raw.String()
	code.compiled = d.compiled.String()
	if len(code.extraCTEs) > 0 {
		// dbt injects ephemeral parents as leading CTEs of the compiled code.
		parts := make([]string, len(code.extraCTEs))
		for k, c := range code.extraCTEs {
			parts[k] = c.sql
		}
		code.compiled = "with" + strings.Join(parts, ",") + ", " + strings.TrimPrefix(code.compiled, "with\n\n")
	}
	return code
}

// ephemeralBase is what an ephemeral model's injected CTE reads from: the
// relation of its first materialized ancestor (enough for a plausible text).
func (e *environment) ephemeralBase(n *node) string {
	for n.material == "ephemeral" && len(n.parents) > 0 {
		n = &e.p.nodes[n.parents[0]]
	}
	if rel := e.relation(n); rel != "" {
		return rel
	}
	return fmt.Sprintf(`"%s"."%s"."%s"`, e.database, e.schemaOf(n), n.name)
}

// testSQL is a generic test's compiled SQL, shaped like dbt's own macros.
func (e *environment) testSQL(n *node) string {
	t := n.test
	rel := e.relation(&e.p.nodes[t.target])
	switch t.kind {
	case testUnique:
		return fmt.Sprintf("\n    \n    \n\nselect\n    %s as unique_field,\n    count(*) as n_records\n\nfrom %s\nwhere %s is not null\ngroup by %s\nhaving count(*) > 1\n\n\n", t.column, rel, t.column, t.column)
	case testNotNull:
		return fmt.Sprintf("\n    \n    \n\n\n\nselect %s\nfrom %s\nwhere %s is null\n\n\n", t.column, rel, t.column)
	case testAcceptedValues:
		return fmt.Sprintf("\n    \n    \n\nwith all_values as (\n\n    select\n        %s as value_field,\n        count(*) as n_records\n\n    from %s\n    group by %s\n\n)\n\nselect *\nfrom all_values\nwhere value_field not in (\n    '%s'\n)\n\n\n", t.column, rel, t.column, strings.Join(statusValues()[:4], "','"))
	case testRelationships:
		return fmt.Sprintf("\n    \n    \n\nwith child as (\n    select %s as from_field\n    from %s\n    where %s is not null\n),\n\nparent as (\n    select %s as to_field\n    from %s\n)\n\nselect\n    from_field\n\nfrom child\nleft join parent\n    on child.from_field = parent.to_field\n\nwhere parent.to_field is null\n\n\n", t.column, rel, t.column, t.column, e.relation(&e.p.nodes[t.to]))
	default:
		return fmt.Sprintf("-- Rows returned here are failures.\nselect *\nfrom %s\nwhere amount < 0\n   or created_at > current_timestamp + interval '1 day'\n", rel)
	}
}
