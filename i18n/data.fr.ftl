# La licence des données ouvertes, la méthodologie et les dictionnaires de données.
data-licence = Les statistiques et les données par plainte sont des données ouvertes sous la
data-methodology-link = Méthodologie
data-dictionary-link = dictionnaire des données
data-schema-link = Table Schema (JSON)
data-records-csv = Données par plainte (CSV)
data-records-json = Données par plainte (JSON)

methodology-title = Méthodologie
methodology-lead = Ce que comptent les chiffres publiés, comment ils sont calculés et ce qu'ils ne peuvent pas dire.
methodology-toc = Sommaire
methodology-files = Fichiers et dictionnaires des données

methodology-complaint = Ce qui compte comme une plainte
methodology-complaint-1 = Une plainte est un dossier qu'un abonné a déposé sur ce portail contre un opérateur télécom : une coupure de service, une hausse de prix non annoncée, une erreur de facturation ou un autre problème. Personne ne la vérifie auprès de l'opérateur : les chiffres disent ce que les abonnés signalent, pas ce qu'un juge a constaté.
methodology-complaint-2 = Une plainte compte dans le mois où elle a été déposée (sa date de dépôt, en UTC), quoi qu'il lui arrive ensuite : une correction, une demande qui avance, un retrait ou la suppression du compte de son auteur ne la déplace pas et ne la retire pas des chiffres.
methodology-complaint-3 = Une plainte déposée contre un opérateur que l'annuaire ne connaît pas encore compte sous une seule ligne, « Opérateurs pas encore vérifiés », jusqu'à ce qu'un administrateur approuve ou fusionne cet opérateur ; elle compte alors pour lui.

methodology-several = Une plainte à plusieurs problèmes
methodology-several-1 = Une plainte peut signaler plusieurs problèmes, au plus un de chaque type. Elle compte une fois dans chaque total et chaque taux : plaintes, demandes, états, issues, montants, réponses dans les délais et jours jusqu'à la résolution.
methodology-several-2 = Dans la répartition par type, elle compte une fois sous chacun de ses types : la somme de la répartition peut donc dépasser le nombre de plaintes. Choisir un type sélectionne chaque plainte qui a un problème de ce type, avec tous ses chiffres.

methodology-subscribers = D'où viennent les nombres d'abonnés
methodology-subscribers-1 = Les nombres d'abonnés viennent de l'annuaire des opérateurs : le nombre que chaque opérateur a déclaré, lu dans les résultats publiés d'un opérateur ou le rapport d'un régulateur (tels qu'un article de presse les a rapportés), avec sa date et sa source, affichées sur la page de l'opérateur. Quand aucun nombre publié n'a été trouvé (la plupart des revendeurs), aucun n'est affiché et l'opérateur n'a pas de taux.
methodology-subscribers-2 = Un taux utilise le dernier nombre de l'annuaire, quels que soient les mois choisis : le nombre n'est pas conservé mois par mois. L'annuaire est mis à jour quand de nouveaux chiffres sont publiés ; un taux sur des mois anciens utilise donc un nombre récent.
methodology-subscribers-3 = Les plaintes ne sont pas réparties entre un revendeur et le réseau qu'il utilise : chaque plainte compte pour l'opérateur contre lequel elle a été déposée, avec le nombre d'abonnés de cet opérateur.

methodology-rates = Les taux couvrent la période choisie
methodology-rates-1 = Un taux est le nombre de plaintes déposées pendant les mois choisis pour { $per } abonnés déclarés. Il couvre la période choisie, pas une année : sur trois mois, il vaut environ le quart de ce que le même rythme donne sur douze. Chaque taux affiché dit les mois qu'il couvre, et le CSV les donne dans period_from et period_to.
methodology-rates-2 = Ne comparez que des taux calculés sur les mêmes mois. « { $months } derniers mois » choisit les { $months } mois complets avant le mois en cours.

methodology-interval = L'intervalle de Wilson à { $confidence } %
methodology-interval-1 = À côté de chaque taux, un intervalle dit sa précision : compte tenu du nombre de plaintes et d'abonnés, le vrai taux s'y trouve avec une confiance de { $confidence } % (intervalle de score de Wilson, z = { $z }). Peu de plaintes donnent un intervalle large, beaucoup un intervalle étroit.
methodology-interval-2 = Quand les intervalles de deux opérateurs se chevauchent, les chiffres ne montrent pas que l'un est pire que l'autre ; quand ils ne se chevauchent pas, l'écart a peu de chances d'être dû au hasard.
methodology-interval-3 = L'intervalle ne mesure que le hasard : il ne dit rien de qui choisit de déposer ici, ce qui peut varier d'un opérateur à l'autre.

methodology-volumes = Volumes minimaux
methodology-volumes-1 = Le nombre de plaintes est toujours affiché. Les taux et les pourcentages ne le sont qu'à partir de { $min } plaintes dans la sélection.
methodology-volumes-2 = La répartition par type, les états et issues des demandes et les montants réclamés et remboursés ne sont affichés qu'à partir de { $breakdown } plaintes dans la sélection : en dessous, ils pourraient décrire la plainte d'une seule personne. Ils sont alors vides dans le CSV et null dans le JSON.
methodology-volumes-3 = Chaque part affiche sa base (« 8 sur 12 »), et son pourcentage seulement à partir de { $min } dans cette base : les demandes pour la part résolue, les demandes dont le délai de réponse a été mis à l'épreuve pour les réponses dans les délais, les demandes résolues pour la médiane des jours jusqu'à la résolution.

methodology-month = Le mois en cours, inachevé
methodology-month-1 = Le mois en cours n'est pas fini : ses chiffres augmentent jusqu'à son dernier jour. Il est signalé dans le tableau et le graphique ; ne le comparez pas à des mois complets.
methodology-month-2 = Une sélection qui se termine par le mois en cours compte ses plaintes jusqu'à aujourd'hui ; son taux est alors plus bas que ce que donnera le rythme du mois.

methodology-networks = Revendeurs et réseaux
methodology-networks-1 = Beaucoup d'opérateurs (les revendeurs) vendent des services sur le réseau d'un autre opérateur. Un revendeur est listé avec l'opérateur dont il utilise le réseau, et compte à part : les chiffres d'un opérateur ne comprennent jamais les plaintes de ses revendeurs.
methodology-networks-2 = Choisir un pays sélectionne les opérateurs établis dans ce pays et les revendeurs qui utilisent un réseau établi dans ce pays : un revendeur français sur un réseau marocain est dans la sélection française et dans la marocaine, car ses abonnés subissent les pannes de ce réseau.
methodology-networks-3 = Choisir un réseau sélectionne son opérateur et ses revendeurs. Chaque page nomme les opérateurs que comprend sa sélection.

methodology-answers = Les réponses des opérateurs
methodology-answers-1 = La réponse à une demande de remboursement est attendue { $answer_days } jours après son envoi à l'opérateur ({ $provider_answer_days } jours pour une demande envoyée par ce portail). La date limite est fixée à l'envoi.
methodology-answers-2 = « Réponse dans les délais » compte, parmi les demandes dont le délai a été mis à l'épreuve (répondues, dans les délais ou en retard, ou laissées sans réponse après la date limite : portées plus loin ou closes), celles auxquelles l'opérateur a répondu au plus tard à la date limite. Une demande qui attend encore sa réponse compte dès qu'elle est répondue ou laissée.
methodology-answers-3 = La médiane des jours jusqu'à la résolution porte sur les demandes résolues, du dépôt à la date de résolution indiquée par l'abonné.

methodology-records = Les données par plainte
methodology-records-1 = Les données par plainte donnent une ligne par plainte : un identifiant public tiré au hasard (jamais celui du portail), le mois de dépôt, l'opérateur, son réseau et son pays, les types de ses problèmes, l'état et l'issue de la demande, et si l'opérateur a répondu dans les délais. Aucun nom, contact, référence, montant ni date plus fine que le mois n'est publié.
methodology-records-2 = Ne sont publiées que les plaintes contre des opérateurs vérifiés dont la case (opérateur, mois de dépôt, ensemble de types) compte au moins { $min } plaintes : chaque filtre sélectionne des cases entières, aucune sélection ne peut donc isoler moins de { $min } plaintes.
methodology-records-3 = Une description n'apparaît que si son auteur a accepté de la publier et qu'un relecteur a approuvé son texte anonymisé (adresses e-mail, numéros de téléphone, numéros bancaires et de contrat, noms et adresses retirés). L'auteur peut la retirer à tout moment.

methodology-version = Version des données
methodology-version-1 = Les chiffres portent un numéro de version qui change dès qu'une plainte ou une demande change : data_version dans chaque réponse JSON, dans le nom du fichier CSV (recours-providers-v suivi du numéro), et l'en-tête ETag. Deux téléchargements de même version contiennent les mêmes chiffres.
methodology-version-2 = Les clients et les caches partagés peuvent garder les chiffres { $max_age } secondes ; ensuite, une requête avec If-None-Match ou If-Modified-Since reçoit 304 tant que la version n'a pas changé.

methodology-licence = Licence
methodology-licence-1 = Les statistiques, les données par plainte et leur documentation sont publiées sous la { $licence } (Etalab), compatible avec CC-BY et ODC-BY : vous pouvez les copier, les partager, les adapter et les réutiliser, y compris commercialement, en citant la source (Recours) et la date des données.
methodology-licence-2 = L'export des relecteurs n'est pas une donnée ouverte : il est réservé aux associations de consommateurs qui relisent les plaintes sur le portail.

dictionary-title = Dictionnaire des données
dictionary-lead = Chaque colonne du fichier : son nom, son type, ce qu'elle contient et les règles que suivent ses valeurs. Le Table Schema (Frictionless) dit la même chose pour les programmes.
dictionary-download = Télécharger le fichier (CSV)
dictionary-reviewers-only = Ce fichier n'est téléchargeable que par les relecteurs des associations de consommateurs.
dictionary-format = CSV (RFC 4180), UTF-8, séparé par des virgules, une ligne d'en-tête. Une case vide signifie pas de valeur : masquée sous un volume minimal, ou sans objet, comme le dit la colonne. Une case de texte qui commence par =, +, -, @ ou une tabulation commence par ' pour qu'un tableur l'affiche au lieu de l'exécuter. Les montants sont en unités de la devise, avec les décimales propres à la devise.
dictionary-caption = Les colonnes du fichier, dans l'ordre
dictionary-column = Colonne
dictionary-type = Type
dictionary-meaning = Signification
dictionary-rules = Valeurs
dictionary-type-string = texte
dictionary-type-integer = nombre entier
dictionary-type-number = nombre
dictionary-type-boolean = true ou false
dictionary-required = toujours remplie
dictionary-values = une valeur parmi : { $values }
dictionary-minimum = au moins { $min }
dictionary-maximum = au plus { $max }
dictionary-pattern = motif { $pattern }
dictionary-providers-title = Statistiques des plaintes par opérateur
dictionary-complaints-title = Données par plainte
dictionary-reviewers-title = Export des plaintes pour les relecteurs

column-providers-slug = L'identifiant de l'opérateur dans l'annuaire ; { $pending } pour la ligne qui additionne les opérateurs pas encore vérifiés.
column-providers-name = Le nom de l'opérateur.
column-providers-country = Le code ISO 3166-1 du pays où l'opérateur est établi (ZZ pour les opérateurs pas encore vérifiés).
column-providers-network = Pour un revendeur, l'identifiant de l'opérateur dont il utilise le réseau ; vide pour un opérateur.
column-providers-subscribers = Le nombre d'abonnés déclaré par l'opérateur (sa date et sa source sont sur la page de l'opérateur) ; vide quand aucun n'est connu.
column-providers-complaints = Les plaintes déposées pendant les mois choisis, comptées dans leur mois de dépôt.
column-providers-per-100k = Les plaintes pour { $per } abonnés déclarés sur les mois choisis (pas par an) ; vide sous { $min } plaintes ou sans nombre d'abonnés.
column-providers-per-100k-low = La borne basse de l'intervalle de Wilson à { $confidence } % de per_100k ; vide quand per_100k l'est.
column-providers-per-100k-high = La borne haute de l'intervalle de Wilson à { $confidence } % de per_100k ; vide quand per_100k l'est.
column-providers-kind = Les plaintes qui ont un problème de type { $kind } (une plainte à plusieurs problèmes compte sous chacun de ses types) ; vide sous { $breakdown } plaintes.
column-providers-claims = Les plaintes avec un montant réclamé (demandes de remboursement) ; vide sous { $breakdown } plaintes.
column-providers-state = Les demandes actuellement dans l'état { $state } ; vide sous { $breakdown } plaintes.
column-providers-outcome = Les demandes résolues avec l'issue { $outcome } ; vide sous { $breakdown } plaintes.
column-providers-claimed = Les montants réclamés en { $currency }, en unités de la devise avec { $decimals } décimales ; vide sous { $breakdown } plaintes.
column-providers-received = Les montants reçus par les abonnés en { $currency }, en unités de la devise avec { $decimals } décimales ; vide sous { $breakdown } plaintes.
column-providers-resolution-rate = La part des demandes résolues, en pourcentage entier ; vide sous { $min } demandes.
column-providers-median-days = La médiane des jours entre le dépôt et la résolution des demandes résolues ; vide sous { $min } demandes résolues.
column-providers-timely = La part des demandes dont le délai de réponse a été mis à l'épreuve (répondues, ou laissées sans réponse après lui) auxquelles l'opérateur a répondu au plus tard à la date limite, en pourcentage entier ; vide sous { $min } telles demandes.
column-providers-median-base = Les demandes résolues sur lesquelles porte la médiane des jours jusqu'à la résolution ; vide sous { $breakdown } plaintes.
column-providers-timely-base = Les demandes dont le délai de réponse a été mis à l'épreuve, la base de timely_answer_percent ; vide sous { $breakdown } plaintes.
column-providers-period-from = Le premier mois couvert par les chiffres (AAAA-MM) ; vide quand aucun mois n'est choisi et qu'aucun n'a de plainte.
column-providers-period-to = Le dernier mois couvert par les chiffres (AAAA-MM) ; vide quand aucun mois n'est choisi et qu'aucun n'a de plainte.
column-providers-recours-sent = Les demandes envoyées à l'opérateur par Recours (selon le registre du portail, non selon ce que les abonnés ont saisi) ; vide sous { $breakdown } plaintes.
column-providers-recours-answered-in-time = Les demandes envoyées par Recours auxquelles l'opérateur a répondu sur le portail au plus tard à la date limite ; vide sous { $breakdown } plaintes.
column-providers-recours-timely-base = Les demandes envoyées par Recours dont la date limite a été mise à l'épreuve (répondues sur le portail, à temps ou en retard, ou laissées sans réponse puis portées plus loin ou closes), la base de recours_timely_answer_percent ; vide sous { $breakdown } plaintes.
column-providers-recours-timely = La part de recours_timely_answer_base répondue sur le portail au plus tard à la date limite, en pourcentage entier ; vide sous { $min } telles demandes.
column-providers-recours-median-days = La médiane exacte des jours entre l'envoi par Recours et la première réponse de clôture de l'opérateur sur le portail ; vide sous { $min } demandes répondues.
column-providers-recours-median-base = Les demandes répondues sur le portail sur lesquelles porte recours_median_days_to_answer ; vide sous { $breakdown } plaintes.
column-providers-recours-response = Les demandes envoyées par Recours dont la dernière réponse de clôture sur le portail était { $response } ; vide sous { $breakdown } plaintes.
column-providers-recours-in-progress = Les demandes envoyées par Recours que l'opérateur a dites en cours de traitement (une fois ; la date limite demeure) ; vide sous { $breakdown } plaintes.
column-providers-recours-answered = Les demandes auxquelles l'opérateur a donné une réponse de clôture sur le portail, la base de recours_disputed_percent ; vide sous { $breakdown } plaintes.
column-providers-recours-accepted = Les demandes dont l'abonné a accepté la dernière réponse de l'opérateur sur le portail ; vide sous { $breakdown } plaintes.
column-providers-recours-disputed = Les demandes dont l'abonné a contesté la dernière réponse de l'opérateur sur le portail ; vide sous { $breakdown } plaintes.
column-providers-recours-disputed-percent = La part de recours_answered que l'abonné a contestée, en pourcentage entier ; vide sous { $min } demandes répondues.

column-records-id = L'identifiant public de la plainte : tiré au hasard, stable, jamais celui du portail.
column-records-month = Le mois de dépôt de la plainte (AAAA-MM).
column-records-provider = L'identifiant de l'opérateur contre lequel la plainte a été déposée.
column-records-kinds = Les types de ses problèmes, séparés par des points-virgules.
column-records-claim-state = L'état de sa demande de remboursement ; vide quand aucun montant n'a été réclamé.
column-records-outcome = L'issue d'une demande résolue ; vide sinon.
column-records-on-time = Si l'opérateur a répondu au plus tard à la date limite ; vide tant qu'on ne le sait pas (pas envoyée, ou pas encore échue).
column-records-description = La description anonymisée, seulement si son auteur a accepté de la publier et qu'un relecteur a approuvé le texte ; vide sinon.

column-reviewers-provider = L'identifiant de l'opérateur ; { $pending } pour un opérateur pas encore vérifié.
column-reviewers-provider-name = Le nom de l'opérateur ; pour un opérateur pas encore vérifié, le nom tapé par l'abonné, anonymisé.
column-reviewers-kind = Les types des problèmes de la plainte, joints par +.
column-reviewers-currency = Le code ISO 4217 de la devise des montants.
column-reviewers-amount-claimed = Le montant réclamé, en unités de la devise avec ses propres décimales ({ $decimals }) ; vide si aucun n'a été réclamé.
column-reviewers-amount-received = Le montant reçu par l'abonné, en unités de la devise avec ses propres décimales ({ $decimals }) ; vide tant qu'il n'est pas indiqué.
column-reviewers-price-rise = Pour une hausse de prix, l'augmentation de l'ancien au nouveau prix mensuel, en pourcentage entier ; vide sinon.
column-reviewers-notice = Pour une hausse de prix, si l'abonné en a reçu l'annonce ; vide sinon.
column-reviewers-still-billed = Pour une coupure, si l'abonné a encore été facturé pendant la coupure ; vide sinon.
column-reviewers-description = La description anonymisée, seulement si son auteur a accepté de la partager avec les associations ; vide sinon.
