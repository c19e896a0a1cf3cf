## Refund claims: states
claim-state-filed = Filed
claim-state-sent = Sent to the provider
claim-state-answered = Answered
claim-state-escalated = Escalated
claim-state-resolved = Resolved
claim-state-withdrawn = Withdrawn

## Refund claims: how it was sent
claim-channel-letter = Letter
claim-channel-registered-letter = Registered letter
claim-channel-email = E-mail
claim-channel-online-form = Online form
claim-channel-phone = Phone
claim-channel-recours = Through Recours (delivered to the provider's staff)

## Refund claims: who it was taken to
claim-body-mediator = Telecom mediator
claim-body-regulator = Telecom regulator
claim-body-association = Consumer association
claim-body-court = Court

## Refund claims: outcomes
claim-outcome-full-refund = Full refund
claim-outcome-partial-refund = Partial refund
claim-outcome-no-refund = No refund

## Refund claims: what the subscriber records
claim-action-send = I sent my claim
claim-action-answer = The provider answered
claim-action-escalate = I took my claim further
claim-action-resolve = The claim is settled
claim-action-withdraw = I withdraw my claim

## Refund claims: refused moves
claim-refused-closed = This claim is closed: nothing more can be recorded on it.
claim-refused-already-sent = This claim has already been sent to the provider.
claim-refused-not-sent = Send your claim to the provider first, then record it here.
claim-refused-date-order = This date is before the day you sent your claim.
claim-refused-amount = This amount is not possible: it cannot be below 0, a partial refund is more than 0 and less than the amount claimed, and no refund means 0.
claim-refused-step-window = This body cannot be seized on that date: only once the provider failed to answer in time or refused, and inside the window the claim's page gives.
claim-refused-not-on-ladder = This body is not among the escalation steps for your country of residence: choose one the form offers.

## Refund claims: form errors
claim-error-reference-too-long = Use at most 200 characters.
claim-error-note-too-long = Use at most 2,000 characters.
claim-error-amount-negative = Enter an amount of 0 or more.
claim-error-amount-full-refund = For a full refund, enter the amount received, or leave it empty if you received the amount claimed.
claim-error-amount-no-refund = With no refund, the amount received is 0: leave this empty.
claim-error-amount-partial = For a partial refund, enter an amount above 0 and below the amount claimed.

## Refund claims: what to do next
next-filed = Send your claim to the provider in writing, by registered letter or by e-mail keeping a copy, then record the date here. The letter page helps you write it.
next-sent = The provider must answer by { $due }. If it does not, the next step will show here.
next-sent-overdue = The provider did not answer in time (the answer was due by { $due }).
next-answered-partial = The provider offered { $offered } of the { $claimed } you claimed. If you accept, record what you receive.
next-answered-refused = The provider refused to refund you.
next-second-level = Write to its consumer service (second level); the letter page helps you.
next-step-wait = Next step: { $body }. From { $step_from } you can take your claim to it, until { $step_until }.
next-step-wait-open-ended = Next step: { $body }. From { $step_from } you can take your claim to it.
next-step-open = Next step: { $body }. You can take your claim to it now, until { $step_until }; the letter page helps you.
next-step-open-ended = Next step: { $body }. You can take your claim to it now; the letter page helps you.
next-step-unconfirmed = Next step: { $body }. You can take your claim to it now that the provider has not answered in time or has refused; the letter page helps you. No public source confirms how long you must wait for the provider before doing so.
next-step-expired = The time to take your claim to this body ended on { $step_until }: { $body }. You can still go to court.
next-escalated-body = Your claim is with this body: { $body }. Record the outcome here once you know it.
next-answered-full = The provider offered { $offered }, which covers the amount you claimed. Once you receive the money, record it here to close the claim.
next-escalated-mediator = The mediator's opinion is due by { $due }. Record the outcome here once you know it.
next-escalated-mediator-overdue = The mediator's opinion is late (it was due by { $due }). You can go to court; for claims up to 5,000 EUR, an amicable attempt (conciliation) comes first.
next-escalated-association = A consumer association is following your case. Record the outcome here once it ends.
next-escalated-court = Follow the court procedure and keep every document. Record the outcome here once the case ends.
next-escalated = Your claim has been taken further. Record the outcome here once you know it.
next-resolved-full-refund = Closed on { $closed_on }: you received { $received }, a full refund.
next-resolved-partial-refund = Closed on { $closed_on }: you received { $received } of the { $claimed } you claimed, a partial refund.
next-resolved-no-refund = Closed on { $closed_on }, without a refund.
next-withdrawn = You withdrew this claim on { $closed_on }. It is closed.
next-closed = This claim is closed.
