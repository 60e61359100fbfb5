package audit

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
)

// Who names the actor of the entry for people: the account's name, else the label recorded
// with the entry, else "Someone without an account".
func (r Row) Who() string {
	switch {
	case r.ActorName != "":
		return r.ActorName
	case r.ActorLabel != "":
		return r.ActorLabel
	}
	return "Someone without an account"
}

// DetailsText shows the entry's JSON details as "key: value" pairs, keys in order, empty values
// left out; details that are not a JSON object are shown as they are.
func (r Row) DetailsText() string {
	var m map[string]any
	if err := json.Unmarshal([]byte(r.Details), &m); err != nil || len(m) == 0 {
		return r.Details
	}
	parts := make([]string, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		text, ok := m[k].(string)
		if !ok {
			b, _ := json.Marshal(m[k])
			text = string(b)
		}
		if text != "" && text != "{}" {
			parts = append(parts, k+": "+text)
		}
	}
	return strings.Join(parts, "; ")
}
