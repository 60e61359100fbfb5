package country

import "strings"

// Region is a world region of the United Nations' "Standard country or area codes for
// statistical use" (M49), the top level below "World": Africa, Americas, Asia, Europe, Oceania.
type Region struct {
	Code string // the M49 code, e.g. "142"
	Name string
}

// Regions lists the M49 regions in the order of their names.
var Regions = []Region{
	{"002", "Africa"},
	{"019", "Americas"},
	{"142", "Asia"},
	{"150", "Europe"},
	{"009", "Oceania"},
}

// m49 assigns every ISO 3166-1 alpha-2 code of iso3166.tab to its M49 region, from the UN
// Statistics Division's M49 overview (unstats.un.org/unsd/methodology/m49/overview), as compiled
// with alpha-2 codes in github.com/lukes/ISO-3166-Countries-with-Regional-Codes (all.csv, column
// region-code). Antarctica (AQ) belongs to no region.
var m49 = map[string]string{
	"002": "DZ AO BJ BW IO BF BI CV CM CF TD KM CG CD CI DJ EG GQ ER SZ ET TF GA GM GH GN GW KE LS LR " +
		"LY MG MW ML MR MU YT MA MZ NA NE NG RE RW SH ST SN SC SL SO ZA SS SD TZ TG TN UG EH ZM ZW",
	"019": "AI AG AR AW BS BB BZ BM BO BQ BV BR CA KY CL CO CR CU CW DM DO EC SV FK GF GL GD GP GT GY " +
		"HT HN JM MQ MX MS NI PA PY PE PR BL KN LC MF PM VC SX GS SR TT TC US UY VE VG VI",
	"142": "AF AM AZ BH BD BT BN KH CN CY GE HK IN ID IR IQ IL JP JO KZ KP KR KW KG LA LB MO MY MV MN " +
		"MM NP OM PK PS PH QA SA SG LK SY TW TJ TH TL TR TM AE UZ VN YE",
	"150": "AX AL AD AT BY BE BA BG HR CZ DK EE FO FI FR DE GI GR GG VA HU IS IE IM IT JE LV LI LT LU " +
		"MK MT MD MC ME NL NO PL PT RO RU SM RS SK SI ES SJ SE CH UA GB",
	"009": "AS AU CX CC CK FJ PF GU HM KI MH FM NR NC NZ NU NF MP PW PG PN WS SB TK TO TV UM VU WF",
}

var regionOf = func() map[string]Region {
	out := map[string]Region{}
	for _, r := range Regions {
		for _, code := range strings.Fields(m49[r.Code]) {
			out[code] = r
		}
	}
	return out
}()

// RegionOf returns the M49 region of the alpha-2 code (any case); ok is false for an unknown
// code and for Antarctica.
func RegionOf(code string) (Region, bool) {
	r, ok := regionOf[strings.ToUpper(strings.TrimSpace(code))]
	return r, ok
}
