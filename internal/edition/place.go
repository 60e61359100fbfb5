package edition

import "strconv"

// PlaceLabel names a prize's place as people read it: "First place", "Second place", ...
func PlaceLabel(place int) string {
	names := []string{"First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth", "Tenth"}
	if place >= 1 && place <= len(names) {
		return names[place-1] + " place"
	}
	return "Place " + strconv.Itoa(place)
}
