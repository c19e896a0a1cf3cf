# The open data's licence, methodology and data dictionaries.
data-licence = The statistics and the complaint-level records are open data under the
data-methodology-link = Methodology
data-dictionary-link = data dictionary
data-schema-link = Table Schema (JSON)
data-records-csv = Complaint-level records (CSV)
data-records-json = Complaint-level records (JSON)

methodology-title = Methodology
methodology-lead = What the published figures count, how they are computed, and what they cannot tell.
methodology-toc = Contents
methodology-files = Files and their data dictionaries

methodology-complaint = What counts as a complaint
methodology-complaint-1 = A complaint is a case a subscriber filed on this portal against a telecom provider: a service cut, an undisclosed price rise, a billing error or another problem. Nobody checks it against the provider's records: the figures say what subscribers report, not what a court found.
methodology-complaint-2 = A complaint counts in the month it was filed (its filing date, UTC), whatever happens to it later: a correction, a claim moving on, a withdrawal or the author deleting their account does not move it nor remove it from the figures.
methodology-complaint-3 = A complaint filed against a provider the directory does not list yet counts under one line, "Providers not yet reviewed", until an administrator approves or merges that provider; then it counts under the provider.

methodology-several = A complaint with several problems
methodology-several-1 = A complaint may report several problems, at most one of each kind. It counts once in every total and rate: complaints, claims, states, outcomes, amounts, answers in time and days to resolution.
methodology-several-2 = In the split by kind it counts once under each of its kinds, so the split by kind may add up to more than the number of complaints. Choosing a kind selects every complaint that has a problem of that kind, with all its figures.

methodology-subscribers = Where subscriber counts come from
methodology-subscribers-1 = Subscriber counts come from the provider directory: the count each provider declared, read from an operator's published results or a regulator's report (as a press article reported it), with its date and its source, both shown on the provider's page. Where no count was found published (most resellers), none is shown and the provider has no rate.
methodology-subscribers-2 = A rate uses the latest count in the directory, whatever months are selected: a count is not kept month by month. The directory is updated when new figures are published; a rate over old months therefore uses a recent count.
methodology-subscribers-3 = Complaints are not divided among a reseller and the network it rides on: each complaint counts for the provider it was filed against, with that provider's own count.

methodology-rates = Rates cover the selected period
methodology-rates-1 = A rate is the number of complaints filed in the selected months per { $per } declared subscribers. It covers the selected period, not a year: over three months it is about a quarter of what the same pace gives over twelve. Every rate on the pages says the months it covers, and the CSV gives them in period_from and period_to.
methodology-rates-2 = Compare rates over the same months only. "Last { $months } months" selects the { $months } complete months before the current one.

methodology-interval = The { $confidence } % Wilson interval
methodology-interval-1 = Beside each rate, an interval says how precise it is: given the number of complaints and of subscribers, the true rate lies within it with { $confidence } % confidence (Wilson score interval, z = { $z }). Few complaints give a wide interval, many give a narrow one.
methodology-interval-2 = When the intervals of two providers overlap, the figures do not show that one is worse than the other; when they do not overlap, the difference is unlikely to be chance.
methodology-interval-3 = The interval only measures chance: it says nothing about who chooses to file here, which may differ from one provider to another.

methodology-volumes = Minimum volumes
methodology-volumes-1 = The number of complaints is always shown. Rates and percentages are shown only from { $min } complaints in the selection.
methodology-volumes-2 = The split by kind, claim states and outcomes, and the amounts claimed and refunded are shown only from { $breakdown } complaints in the selection: below that they could describe one person's complaint. They are then empty in the CSV and null in the JSON.
methodology-volumes-3 = Each share shows its base ("8 of 12"), and its percentage only from { $min } in that base: the claims for the share resolved, the claims past their answer due date for answers in time, the resolved claims for the median days to resolution.

methodology-month = The unfinished current month
methodology-month-1 = The current month is not over: its figures grow until its last day. It is marked in the table and in the chart; do not compare it with complete months.
methodology-month-2 = A selection ending in the current month counts its complaints so far; the rate is then lower than the month's pace will give.

methodology-networks = Resellers and networks
methodology-networks-1 = Many providers (resellers) sell services over another operator's network. A reseller is listed with the operator whose network it rides on, and counts apart from it: an operator's figures never include its resellers' complaints.
methodology-networks-2 = Choosing a country selects the providers based in it and the resellers riding on a network based in it: a French reseller on a Moroccan network is in the French selection and in the Moroccan one, because its subscribers live that network's failures.
methodology-networks-3 = Choosing a network selects its operator and its resellers. Each page names the providers its selection includes.

methodology-answers = Providers' answers
methodology-answers-1 = A refund claim's answer is due { $answer_days } days after the subscriber sent it to the provider ({ $provider_answer_days } days for a claim sent through this portal). The due date is fixed when the claim is sent.
methodology-answers-2 = "Answered in time" counts, among the claims whose deadline has been put to the test (answered, in time or late, or left without an answer past the due date: escalated or closed), those the provider answered by the due date. A claim still waiting for its answer counts once it is answered or left.
methodology-answers-3 = The median days to resolution is taken over the resolved claims, from filing to the resolution date the subscriber recorded.

methodology-records = Complaint-level records
methodology-records-1 = The complaint-level records give one line per complaint: a random public identifier (never the portal's own), the month filed, the provider, its network and country, the kinds of its problems, the claim's state and outcome, and whether the provider answered in time. No name, contact, reference, amount or date finer than the month is published.
methodology-records-2 = Only complaints against reviewed providers whose cell (provider, month filed, set of kinds) holds at least { $min } complaints are published: every filter selects whole cells, so no selection can isolate fewer than { $min } complaints.
methodology-records-3 = A description appears only where its author agreed to publish it and a reviewer approved its anonymised text (e-mail addresses, phone numbers, bank and contract numbers, names and addresses removed). The author can withdraw it at any time.

methodology-version = Data version
methodology-version-1 = The figures carry a version number that moves whenever a complaint or a claim changes: data_version in every JSON answer, in the CSV's file name (recours-providers-v and the number), and the ETag header. Two downloads with the same version hold the same figures.
methodology-version-2 = Clients and shared caches may keep the figures { $max_age } seconds; after that, a request with If-None-Match or If-Modified-Since gets 304 while the version is unchanged.

methodology-licence = Licence
methodology-licence-1 = The statistics, the complaint-level records and their documentation are published under the { $licence } (Etalab), compatible with CC-BY and ODC-BY: you may copy, share, adapt and reuse them, commercially too, citing the source (Recours) and the date of the data.
methodology-licence-2 = The reviewers' export is not open data: it is for the consumer associations that review complaints on the portal.

dictionary-title = Data dictionary
dictionary-lead = Each column of the file: its name, its type, what it holds and the rules its values follow. The Table Schema (Frictionless) says the same for programs.
dictionary-download = Download the file (CSV)
dictionary-reviewers-only = This file is downloaded by the consumer associations' reviewers only.
dictionary-format = CSV (RFC 4180), UTF-8, comma-separated, one header row. An empty cell means no value: hidden below a minimum volume, or not applicable, as the column says. A text cell that starts with =, +, -, @ or a tab starts with ' so that a spreadsheet shows it rather than runs it. Amounts are in currency units with the currency's own decimals.
dictionary-caption = The file's columns, in order
dictionary-column = Column
dictionary-type = Type
dictionary-meaning = Meaning
dictionary-rules = Values
dictionary-type-string = text
dictionary-type-integer = whole number
dictionary-type-number = number
dictionary-type-boolean = true or false
dictionary-required = always filled
dictionary-values = one of: { $values }
dictionary-minimum = at least { $min }
dictionary-maximum = at most { $max }
dictionary-pattern = pattern { $pattern }
dictionary-providers-title = Complaint statistics per provider
dictionary-complaints-title = Complaint-level records
dictionary-reviewers-title = Reviewers' complaint export

column-providers-slug = The provider's identifier in the directory; { $pending } for the line summing the providers not yet reviewed.
column-providers-name = The provider's name.
column-providers-country = The ISO 3166-1 code of the country the provider is based in (ZZ for the providers not yet reviewed).
column-providers-network = For a reseller, the identifier of the operator whose network it rides on; empty for an operator.
column-providers-subscribers = The subscriber count the provider declared (its date and source are on the provider's page); empty where none is known.
column-providers-complaints = Complaints filed in the selected months, counted in the month they were filed.
column-providers-per-100k = Complaints per { $per } declared subscribers over the selected months (not per year); empty below { $min } complaints or without a subscriber count.
column-providers-per-100k-low = Lower bound of the { $confidence } % Wilson interval of per_100k; empty when per_100k is.
column-providers-per-100k-high = Upper bound of the { $confidence } % Wilson interval of per_100k; empty when per_100k is.
column-providers-kind = Complaints with a problem of kind { $kind } (a complaint with several problems counts under each of its kinds); empty below { $breakdown } complaints.
column-providers-claims = Complaints with an amount claimed (refund claims); empty below { $breakdown } complaints.
column-providers-state = Claims now in state { $state }; empty below { $breakdown } complaints.
column-providers-outcome = Resolved claims with outcome { $outcome }; empty below { $breakdown } complaints.
column-providers-claimed = Amounts claimed in { $currency }, in currency units with { $decimals } decimals; empty below { $breakdown } complaints.
column-providers-received = Amounts subscribers received in { $currency }, in currency units with { $decimals } decimals; empty below { $breakdown } complaints.
column-providers-resolution-rate = Share of the claims that are resolved, in whole percent; empty below { $min } claims.
column-providers-median-days = Median days from filing to resolution of the resolved claims; empty below { $min } resolved claims.
column-providers-timely = Share of the claims whose answer deadline was put to the test (answered, or left unanswered past it) that the provider answered by the due date, in whole percent; empty below { $min } such claims.
column-providers-median-base = Resolved claims the median days to resolution is taken from; empty below { $breakdown } complaints.
column-providers-timely-base = Claims whose answer deadline was put to the test, the base of timely_answer_percent; empty below { $breakdown } complaints.
column-providers-period-from = First month the figures cover (YYYY-MM); empty when no month is selected and none has complaints.
column-providers-period-to = Last month the figures cover (YYYY-MM); empty when no month is selected and none has complaints.
column-providers-recours-sent = Claims sent through Recours to the provider (from the portal's own record, not from what subscribers typed); empty below { $breakdown } complaints.
column-providers-recours-answered-in-time = Claims sent through Recours that the provider answered on the portal by their due date; empty below { $breakdown } complaints.
column-providers-recours-timely-base = Claims sent through Recours whose due date has been tested (answered on the portal, in time or late, or left unanswered past it and then escalated or closed), the base of recours_timely_answer_percent; empty below { $breakdown } complaints.
column-providers-recours-timely = Share of recours_timely_answer_base answered on the portal by the due date, in whole percent; empty below { $min } such claims.
column-providers-recours-median-days = Median days from sending through Recours to the provider's first closing answer on the portal, computed exactly; empty below { $min } answered claims.
column-providers-recours-median-base = Claims answered on the portal that recours_median_days_to_answer is taken from; empty below { $breakdown } complaints.
column-providers-recours-response = Claims sent through Recours whose last closing answer on the portal was { $response }; empty below { $breakdown } complaints.
column-providers-recours-in-progress = Claims sent through Recours that the provider said were in progress (once; the due date stands); empty below { $breakdown } complaints.
column-providers-recours-answered = Claims the provider answered on the portal with a closing answer, the base of recours_disputed_percent; empty below { $breakdown } complaints.
column-providers-recours-accepted = Claims whose subscriber accepted the provider's last answer on the portal; empty below { $breakdown } complaints.
column-providers-recours-disputed = Claims whose subscriber disputed the provider's last answer on the portal; empty below { $breakdown } complaints.
column-providers-recours-disputed-percent = Share of recours_answered that the subscriber disputed, in whole percent; empty below { $min } answered claims.

column-records-id = The complaint's public identifier: random, stable, never the portal's own.
column-records-month = The month the complaint was filed (YYYY-MM).
column-records-provider = The identifier of the provider the complaint was filed against.
column-records-kinds = The kinds of its problems, separated by semicolons.
column-records-claim-state = The state of its refund claim; empty when no amount was claimed.
column-records-outcome = The outcome of a resolved claim; empty otherwise.
column-records-on-time = Whether the provider answered by the due date; empty while that is not known (not sent, or not yet due).
column-records-description = The anonymised description, only where its author agreed to publish it and a reviewer approved the text; empty otherwise.

column-reviewers-provider = The identifier of the provider; { $pending } for a provider not yet reviewed.
column-reviewers-provider-name = The provider's name; for a provider not yet reviewed, the name the subscriber typed, anonymised.
column-reviewers-kind = The kinds of the complaint's problems, joined by +.
column-reviewers-currency = The ISO 4217 code of the amounts' currency.
column-reviewers-amount-claimed = The amount claimed, in currency units with the currency's own decimals ({ $decimals }); empty when none was claimed.
column-reviewers-amount-received = The amount the subscriber received, in currency units with the currency's own decimals ({ $decimals }); empty until recorded.
column-reviewers-price-rise = For a price rise, the increase from the old to the new monthly price, in whole percent; empty otherwise.
column-reviewers-notice = For a price rise, whether the subscriber received a notice of it; empty otherwise.
column-reviewers-still-billed = For a service cut, whether the subscriber was still billed during the cut; empty otherwise.
column-reviewers-description = The anonymised description, only where its author agreed to share it with associations; empty otherwise.
