# The complaint-level open data: the author's agreement to publish a description, and the
# reviewers' approval.
publication-link = Publish the description in the open data
publication-title = Publishing your description
publication-explained = The open data lists every complaint without its text: month, provider, problem, where the claim stands. If you agree, the description below, with e-mail addresses, phone numbers, account and contract numbers, names and addresses removed, is added once a reviewer of a consumer association has read it. You can withdraw at any time: it leaves the open data at once.
publication-preview = What would be published
publication-none = Not published.
publication-waiting = You agreed; a reviewer has yet to read it.
publication-approved = Published in the open data.
publication-agree = I agree to publish it
publication-withdraw = Withdraw my agreement
flash-publication-agreed = Thank you: a reviewer will read it before it is published.
flash-publication-withdrawn = Your description is no longer published.
review-publications-link = Descriptions to approve for the open data
review-publications-title = Descriptions to approve
review-publications-intro = Their authors agreed to publish them; the anonymiser removed what it recognises. Approve only a text in which nobody can be recognised.
review-publications-empty = None is waiting.
review-publications-approve = Approve
review-publications-refuse = Refuse
review-publications-complaint = Complaint { $id }
flash-publication-decided = Your decision is recorded.
error-cursor-invalid = The cursor is the id of a complaint: 16 of 0-9 and a-f.
error-size-invalid = The page size is a whole number from 1 to 1000.
