/**
 * Sample text the language profiles are built from at module load. Written for this project
 * (customer-service and everyday register, the kind of text comments contain) — not taken from any
 * other library's profile files. Character trigram frequencies of these paragraphs are the profile.
 */
import type { Lang } from './tokenize.ts';

export const LANGUAGE_SAMPLES: Readonly<Record<Lang, string>> = {
  en: `I ordered the jacket last week and it arrived on time, which was great. The quality is good but the
size runs small, so I had to send it back. The return was easy and the refund came through after a few
days. Customer service was friendly and helpful when I called, although I waited on hold for twenty
minutes before anyone answered. The flight was delayed by three hours and nobody told us why. The staff
at the gate were rude and the seats were uncomfortable. The food was cold and the entertainment system did
not work. I would not recommend this airline to my friends. On the other hand the crew on the way back
were wonderful and the lounge was clean. This is the best dress I have ever bought, it fits perfectly and
the colour is beautiful. I love it and would buy it again in another colour. The fabric feels cheap and
thin, and there is a hole in the seam after washing it once. Still no answer to my email about the missing
package. I have had to call three times and each time they said someone would call me back. Very
disappointed with the whole experience. Thank you for your quick response and for sorting this out. The
app keeps crashing whenever I try to pay, please fix it. Delivery was fast and the packaging was fine.
It works well with my phone and the sound is clear. The price is fair for what you get. They should train
their people better because nobody seems to know anything. Overall a pleasant trip with good value for
money and I will fly with them again. What a waste of time and money, never again. Everything was
perfect from start to finish, thanks to the team. My order was cancelled without any explanation and I
still have not received my money. The speaker is easy to set up and my kids enjoy asking it questions.`,
  de: `Ich habe die Jacke letzte Woche bestellt und sie ist pünktlich angekommen, das war super. Die
Qualität ist gut, aber die Größe fällt klein aus, deshalb musste ich sie zurückschicken. Die Rücksendung
war einfach und das Geld kam nach ein paar Tagen zurück. Der Kundenservice war freundlich und hilfsbereit,
als ich angerufen habe, obwohl ich zwanzig Minuten in der Warteschleife gewartet habe. Der Flug hatte drei
Stunden Verspätung und niemand hat uns gesagt, warum. Die Mitarbeiter am Schalter waren unfreundlich und
die Sitze waren unbequem. Das Essen war kalt und das Unterhaltungssystem hat nicht funktioniert. Ich würde
diese Fluggesellschaft meinen Freunden nicht empfehlen. Auf dem Rückweg war die Besatzung dagegen
wunderbar und die Lounge war sauber. Das ist das beste Kleid, das ich je gekauft habe, es passt perfekt und
die Farbe ist wunderschön. Ich liebe es und würde es in einer anderen Farbe wieder kaufen. Der Stoff
fühlt sich billig und dünn an, und nach einmal Waschen ist ein Loch in der Naht. Immer noch keine Antwort
auf meine E-Mail wegen des fehlenden Pakets. Ich musste dreimal anrufen und jedes Mal hieß es, man würde
mich zurückrufen. Sehr enttäuscht von der ganzen Erfahrung. Vielen Dank für die schnelle Antwort und
dafür, dass Sie das geklärt haben. Die App stürzt ständig ab, wenn ich bezahlen will, bitte beheben Sie
das. Die Lieferung war schnell und die Verpackung war in Ordnung. Es funktioniert gut mit meinem Handy
und der Klang ist klar. Der Preis ist fair für das, was man bekommt. Sie sollten ihre Leute besser
schulen, weil niemand etwas weiß. Insgesamt eine angenehme Reise mit gutem Preis-Leistungs-Verhältnis,
und ich werde wieder mit ihnen fliegen. Was für eine Verschwendung von Zeit und Geld, nie wieder. Alles
war perfekt von Anfang bis Ende, danke an das Team. Meine Bestellung wurde ohne Erklärung storniert und
ich habe mein Geld immer noch nicht zurückbekommen. Der Lautsprecher ist leicht einzurichten und meine
Kinder stellen ihm gerne Fragen.`,
  fr: `J'ai commandé la veste la semaine dernière et elle est arrivée à temps, c'était parfait. La qualité
est bonne mais la taille est petite, donc j'ai dû la renvoyer. Le retour était facile et le remboursement
est arrivé après quelques jours. Le service client était aimable et serviable quand j'ai appelé, même si
j'ai attendu vingt minutes en attente avant que quelqu'un réponde. Le vol avait trois heures de retard et
personne ne nous a dit pourquoi. Le personnel à la porte d'embarquement était impoli et les sièges
étaient inconfortables. Le repas était froid et le système de divertissement ne fonctionnait pas. Je ne
recommanderais pas cette compagnie à mes amis. En revanche, l'équipage au retour était merveilleux et le
salon était propre. C'est la plus belle robe que j'aie jamais achetée, elle tombe parfaitement et la
couleur est magnifique. Je l'adore et je l'achèterais encore dans une autre couleur. Le tissu semble bon
marché et fin, et il y a un trou dans la couture après un seul lavage. Toujours pas de réponse à mon
courriel au sujet du colis manquant. J'ai dû appeler trois fois et chaque fois on m'a dit qu'on me
rappellerait. Très déçu de toute l'expérience. Merci pour votre réponse rapide et d'avoir réglé ce
problème. L'application plante chaque fois que j'essaie de payer, merci de la corriger. La livraison
était rapide et l'emballage était correct. Ça marche bien avec mon téléphone et le son est clair. Le prix
est juste pour ce que l'on obtient. Ils devraient mieux former leurs employés parce que personne ne sait
rien. Dans l'ensemble un voyage agréable avec un bon rapport qualité-prix et je volerai de nouveau avec
eux. Quelle perte de temps et d'argent, plus jamais. Tout était parfait du début à la fin, merci à
l'équipe. Ma commande a été annulée sans aucune explication et je n'ai toujours pas reçu mon argent.
L'enceinte est facile à installer et mes enfants aiment lui poser des questions.`,
};
