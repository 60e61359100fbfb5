package account

import (
	"testing"
	"time"
)

// TestHashesWaitForASlot: an argon2id hash (checking a password, hashing a new one) runs only
// in a free slot (one per CPU), so however many sign-ins arrive together, no more hashes hold
// their memory at once than there are CPUs to compute them; each goes ahead once a slot frees.
func TestHashesWaitForASlot(t *testing.T) {
	hash, err := HashPassword("correct horse battery staple", TestHashParams)
	if err != nil {
		t.Fatal(err)
	}
	for range cap(hashSlots) { // take every slot
		hashSlots <- struct{}{}
	}
	checked, hashed := make(chan bool), make(chan error)
	go func() {
		ok, _ := CheckPassword("correct horse battery staple", hash)
		checked <- ok
	}()
	go func() {
		_, err := HashPassword("another password", TestHashParams)
		hashed <- err
	}()
	time.Sleep(50 * time.Millisecond) // give them time to (wrongly) go ahead
	select {
	case <-checked:
		t.Fatal("a password was checked while every slot was taken")
	case <-hashed:
		t.Fatal("a password was hashed while every slot was taken")
	default:
	}
	<-hashSlots // one slot frees: both go ahead, one after the other
	if !<-checked {
		t.Fatal("the password did not match")
	}
	if err := <-hashed; err != nil {
		t.Fatal(err)
	}
	for range cap(hashSlots) - 1 {
		<-hashSlots
	}
}
