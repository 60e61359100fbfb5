package edition

import (
	"strconv"

	"prizeportal/internal/i18n"
)

// placeNames are the names of the first ten places, texts of the catalogs.
var placeNames = [...]string{
	i18n.M("First place"), i18n.M("Second place"), i18n.M("Third place"), i18n.M("Fourth place"), i18n.M("Fifth place"),
	i18n.M("Sixth place"), i18n.M("Seventh place"), i18n.M("Eighth place"), i18n.M("Ninth place"), i18n.M("Tenth place"),
}

// PlaceLabel names a prize's place as people read it, in English: "First place", "Second place",
// ... "Place 11".
func PlaceLabel(place int) string {
	if place >= 1 && place <= len(placeNames) {
		return placeNames[place-1]
	}
	return "Place " + strconv.Itoa(place)
}

// PlaceText is PlaceLabel carried for the reader's language (shown through i18n.T, alone or as a
// value of another text).
func PlaceText(place int) string {
	if place >= 1 && place <= len(placeNames) {
		return placeNames[place-1]
	}
	return i18n.Msg("Place {{.Place}}", "Place", strconv.Itoa(place))
}
