package committee

import (
	"strconv"

	"prizeportal/internal/authz"
)

// SeesEvaluatorNames reports whether actor reads the committee's work in editionID (its score
// sheets, the scores per evaluator) with the evaluators' names: the edition's secretariat and
// committee head, who run the committee (authz.CanManageCommittee). Everyone else who reads that work, the
// Prize Council above all, reads the evaluators as "Evaluator n" (EvaluatorLabel), never by
// name, so that the council weighs the scores and not who gave them.
func SeesEvaluatorNames(actor authz.Actor, editionID int64) bool {
	return authz.CanManageCommittee(actor, editionID)
}

// EvaluatorLabel is how the evaluator numbered n (from 1) is shown to those who may not read the
// evaluators' names (SeesEvaluatorNames): "Evaluator n". Each page or document numbers its
// evaluators in an order of its own, and each keeps one number throughout it.
func EvaluatorLabel(n int) string { return "Evaluator " + strconv.Itoa(n) }
