# Les données ouvertes plainte par plainte : l'accord de l'auteur pour publier une
# description, et l'approbation des relecteurs.
publication-link = Publier la description dans les données ouvertes
publication-title = Publier votre description
publication-explained = Les données ouvertes listent chaque plainte sans son texte : mois, opérateur, problème, où en est la réclamation. Si vous êtes d'accord, la description ci-dessous, sans adresses e-mail, numéros de téléphone, de compte ou de contrat, noms et adresses, y est ajoutée après sa lecture par un relecteur d'une association de consommateurs. Vous pouvez retirer votre accord à tout moment : elle quitte aussitôt les données ouvertes.
publication-preview = Ce qui serait publié
publication-none = Non publiée.
publication-waiting = Vous avez donné votre accord ; un relecteur doit encore la lire.
publication-approved = Publiée dans les données ouvertes.
publication-agree = J'accepte qu'elle soit publiée
publication-withdraw = Retirer mon accord
flash-publication-agreed = Merci : un relecteur la lira avant sa publication.
flash-publication-withdrawn = Votre description n'est plus publiée.
review-publications-link = Descriptions à approuver pour les données ouvertes
review-publications-title = Descriptions à approuver
review-publications-intro = Leurs auteurs ont accepté qu'elles soient publiées ; l'anonymiseur a retiré ce qu'il reconnaît. N'approuvez qu'un texte où personne ne peut être reconnu.
review-publications-empty = Aucune n'attend.
review-publications-approve = Approuver
review-publications-refuse = Refuser
review-publications-complaint = Plainte { $id }
flash-publication-decided = Votre décision est enregistrée.
error-cursor-invalid = Le curseur est l'identifiant d'une plainte : 16 caractères parmi 0-9 et a-f.
error-size-invalid = La taille de page est un nombre entier de 1 à 1000.
