## Réclamations : états
claim-state-filed = Enregistrée
claim-state-sent = Envoyée à l'opérateur
claim-state-answered = Réponse reçue
claim-state-escalated = Recours engagé
claim-state-resolved = Réglée
claim-state-withdrawn = Abandonnée

## Réclamations : mode d'envoi
claim-channel-letter = Lettre simple
claim-channel-registered-letter = Lettre recommandée
claim-channel-email = E-mail
claim-channel-online-form = Formulaire en ligne
claim-channel-phone = Téléphone
claim-channel-recours = Par Recours (transmise au service de l'opérateur)

## Réclamations : recours
claim-body-mediator = Médiateur des communications électroniques
claim-body-regulator = Autorité de régulation des télécommunications
claim-body-association = Association de consommateurs
claim-body-court = Tribunal

## Réclamations : résultats
claim-outcome-full-refund = Remboursement total
claim-outcome-partial-refund = Remboursement partiel
claim-outcome-no-refund = Aucun remboursement

## Réclamations : ce que l'abonné indique
claim-action-send = J'ai envoyé ma réclamation
claim-action-answer = L'opérateur a répondu
claim-action-escalate = J'ai engagé un recours
claim-action-resolve = La réclamation est réglée
claim-action-withdraw = J'abandonne ma réclamation

## Réclamations : actions refusées
claim-refused-closed = Cette réclamation est close : plus rien ne peut y être ajouté.
claim-refused-already-sent = Cette réclamation a déjà été envoyée à l'opérateur.
claim-refused-not-sent = Envoyez d'abord votre réclamation à l'opérateur, puis indiquez-le ici.
claim-refused-date-order = Cette date est antérieure au jour où vous avez envoyé votre réclamation.
claim-refused-amount = Ce montant n'est pas possible : il ne peut pas être inférieur à 0, un remboursement partiel est supérieur à 0 et inférieur au montant réclamé, et sans remboursement il vaut 0.
claim-refused-step-window = Cette instance ne peut pas être saisie à cette date : seulement une fois que l'opérateur n'a pas répondu à temps ou a refusé, et dans la fenêtre que donne la page de la réclamation.
claim-refused-not-on-ladder = Cette instance ne fait pas partie des recours prévus pour votre pays de résidence : choisissez-en une que le formulaire propose.

## Réclamations : erreurs de formulaire
claim-error-reference-too-long = 200 caractères au maximum.
claim-error-note-too-long = 2 000 caractères au maximum.
claim-error-amount-negative = Saisissez un montant égal ou supérieur à 0.
claim-error-amount-full-refund = Pour un remboursement total, saisissez le montant reçu, ou laissez ce champ vide si vous avez reçu le montant réclamé.
claim-error-amount-no-refund = Sans remboursement, le montant reçu est 0 : laissez ce champ vide.
claim-error-amount-partial = Pour un remboursement partiel, saisissez un montant supérieur à 0 et inférieur au montant réclamé.

## Réclamations : et maintenant ?
next-filed = Envoyez votre réclamation par écrit à l'opérateur, en lettre recommandée ou par e-mail en gardant une copie, puis indiquez ici la date d'envoi. Le modèle de lettre vous aide à la rédiger.
next-sent = L'opérateur doit vous répondre au plus tard le { $due }. Sinon, l'étape suivante s'affichera ici.
next-sent-overdue = L'opérateur n'a pas répondu à temps (la réponse était attendue au plus tard le { $due }).
next-answered-partial = L'opérateur propose { $offered } sur les { $claimed } réclamés. Si vous acceptez, indiquez ici ce que vous recevez.
next-answered-refused = L'opérateur refuse de vous rembourser.
next-second-level = Écrivez à son service consommateurs (second niveau) ; le modèle de lettre vous aide.
next-step-wait = Étape suivante : { $body }. À partir du { $step_from }, vous pourrez la saisir, jusqu'au { $step_until }.
next-step-wait-open-ended = Étape suivante : { $body }. À partir du { $step_from }, vous pourrez la saisir.
next-step-open = Étape suivante : { $body }. Vous pouvez la saisir dès maintenant, jusqu'au { $step_until } ; le modèle de lettre vous aide.
next-step-open-ended = Étape suivante : { $body }. Vous pouvez la saisir dès maintenant ; le modèle de lettre vous aide.
next-step-unconfirmed = Étape suivante : { $body }. Vous pouvez la saisir maintenant que l'opérateur n'a pas répondu à temps ou a refusé ; le modèle de lettre vous aide. Aucune source publique ne confirme combien de temps il faut attendre la réponse de l'opérateur avant de le faire.
next-step-expired = Le délai pour saisir cette instance a pris fin le { $step_until } : { $body }. Vous pouvez encore saisir le tribunal.
next-escalated-body = Votre réclamation est entre les mains de cette instance : { $body }. Indiquez ici le résultat dès que vous le connaissez.
next-answered-full = L'opérateur propose { $offered }, ce qui couvre le montant réclamé. Quand vous avez reçu l'argent, indiquez-le ici pour clore la réclamation.
next-escalated-mediator = Le médiateur doit rendre son avis au plus tard le { $due }. Indiquez ici le résultat dès que vous le connaissez.
next-escalated-mediator-overdue = L'avis du médiateur est en retard (il était attendu au plus tard le { $due }). Vous pouvez saisir le tribunal ; pour un litige jusqu'à 5 000 EUR, il faut d'abord tenter un règlement amiable (conciliation).
next-escalated-association = Une association de consommateurs suit votre dossier. Indiquez ici le résultat quand il est connu.
next-escalated-court = Suivez la procédure du tribunal et gardez tous vos documents. Indiquez ici le résultat quand l'affaire est terminée.
next-escalated = Votre réclamation a été portée plus loin. Indiquez ici le résultat dès que vous le connaissez.
next-resolved-full-refund = Réclamation close le { $closed_on } : vous avez reçu { $received }, un remboursement total.
next-resolved-partial-refund = Réclamation close le { $closed_on } : vous avez reçu { $received } sur les { $claimed } réclamés, un remboursement partiel.
next-resolved-no-refund = Réclamation close le { $closed_on }, sans remboursement.
next-withdrawn = Vous avez abandonné cette réclamation le { $closed_on }. Elle est close.
next-closed = Cette réclamation est close.
