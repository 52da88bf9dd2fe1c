# ruff: noqa: E501 - texts for respondents read best unbroken
"""The survey's own words, in the language the respondent chose.

The instrument's texts come from the auditors; these frame them. Swedish, easy-to-read
Swedish, English and Arabic are written out; the children's version uses plain Swedish and
other languages fall back to English.
"""

TEXTS = {
    "sv": {
        "start_title": "Om enkäten",
        "who_runs": "Enkäten kommer från brukarrevisorer i {performer}. De har själva erfarenhet av "
        "stöd. {client} har bett dem ta reda på vad brukare tycker om {unit}.",
        "voluntary": "Det är frivilligt att svara. Du kan sluta när du vill, och du kan hoppa över "
        "frågor.",
        "anonymous": "Du är anonym. Vi sparar inte ditt namn, din IP-adress eller något annat som "
        "visar vem du är. Skriv inga namn eller telefonnummer i svaren.",
        "use": "Dina svar läggs ihop med andras. Resultat visas bara för grupper med minst fem "
        "personer. Brukarrevisorerna skriver en rapport med förslag till verksamheten, och "
        "verksamheten svarar på förslagen.",
        "who_answers": "Vem svarar?",
        "self": "Jag svarar själv",
        "assisted": "Jag svarar med hjälp av någon som läser eller kryssar åt mig",
        "proxy": "Jag svarar för någon annan, till exempel för mitt barn",
        "consent": "Jag har läst detta och vill svara.",
        "consent_error": "Kryssa i rutan om du vill svara.",
        "start": "Börja",
        "next": "Nästa",
        "back": "Tillbaka",
        "send": "Skicka svaren",
        "page_of": "Sida {n} av {total}",
        "language": "Språk",
        "view": "Visning",
        "large_text": "Större text",
        "normal_text": "Vanlig text",
        "high_contrast": "Hög kontrast",
        "normal_contrast": "Vanliga färger",
        "read_aloud": "Läs upp",
        "saved_note": "Dina svar sparas när du går vidare. Du kan fortsätta senare i samma "
        "webbläsare.",
        "thanks_title": "Tack för dina svar!",
        "thanks_body": "Dina svar är sparade. Du kan stänga sidan nu.",
        "closed_title": "Enkäten är stängd",
        "closed_body": "Det går inte att svara längre. Tack för att du ville svara.",
        "conflict": "Svaren är redan skickade och kan inte ändras. Kontakta brukarrevisorerna om "
        "något blev fel.",
        "not_sent": "Dina svar är inte skickade än. Tryck på ”{send}” när du är klar.",
        "incomplete": "Några frågor som måste besvaras saknar svar. Svara på dem här först.",
        "sent_title": "Dina svar är skickade",
        "sent_body": "Tack! Vi har fått dina svar. De kan inte ändras. Du kan stänga sidan nu.",
        "another": "Ska någon annan svara i samma webbläsare?",
        "new_answer": "Börja ett nytt svar",
        "skip": "Hoppa till frågorna",
    },
    "sv-x-easy": {
        "start_title": "Om frågorna",
        "who_runs": "Frågorna kommer från brukarrevisorer i {performer}. De har själva fått stöd. "
        "{client} vill veta vad du tycker om {unit}.",
        "voluntary": "Du väljer själv om du vill svara. Du kan sluta när du vill. Du kan hoppa "
        "över frågor.",
        "anonymous": "Ingen får veta att det är du som svarar. Vi sparar inte ditt namn. Skriv "
        "inga namn i svaren.",
        "use": "Vi lägger ihop ditt svar med andras svar. Sedan skriver vi en rapport. "
        "Verksamheten får läsa rapporten och svara.",
        "who_answers": "Vem svarar?",
        "self": "Jag svarar själv",
        "assisted": "Någon hjälper mig att läsa eller kryssa",
        "proxy": "Jag svarar för någon annan, till exempel mitt barn",
        "consent": "Jag vill svara.",
        "consent_error": "Kryssa i rutan om du vill svara.",
        "start": "Börja",
        "next": "Nästa",
        "back": "Tillbaka",
        "send": "Skicka",
        "page_of": "Sida {n} av {total}",
        "language": "Språk",
        "view": "Hur sidan ser ut",
        "large_text": "Större text",
        "normal_text": "Vanlig text",
        "high_contrast": "Starkare färger",
        "normal_contrast": "Vanliga färger",
        "read_aloud": "Läs upp",
        "saved_note": "Vi sparar dina svar när du går vidare. Du kan fortsätta senare.",
        "thanks_title": "Tack!",
        "thanks_body": "Vi har fått dina svar. Du kan stänga sidan.",
        "closed_title": "Det går inte att svara nu",
        "closed_body": "Frågorna är stängda. Tack för att du ville svara.",
        "conflict": "Du har redan skickat dina svar. De kan inte ändras.",
        "not_sent": "Du har inte skickat dina svar än. Tryck på ”{send}” när du är klar.",
        "incomplete": "Några frågor saknar svar. Svara på dem här först.",
        "sent_title": "Du har skickat dina svar",
        "sent_body": "Tack! Vi har fått dina svar. Du kan inte ändra dem nu. Du kan stänga sidan.",
        "another": "Ska någon annan svara här?",
        "new_answer": "Börja ett nytt svar",
        "skip": "Hoppa till frågorna",
    },
    "en": {
        "start_title": "About the survey",
        "who_runs": "This survey comes from user auditors at {performer}, who have their own "
        "experience of support. {client} has asked them to find out what users think of {unit}.",
        "voluntary": "Answering is voluntary. You can stop whenever you like and skip questions.",
        "anonymous": "You are anonymous. We do not store your name, your IP address or anything "
        "else that shows who you are. Do not write names or phone numbers in your answers.",
        "use": "Your answers are put together with other people's. Results are only shown for "
        "groups of at least five people. The auditors write a report with proposals to the "
        "service, and the service answers them.",
        "who_answers": "Who is answering?",
        "self": "I am answering myself",
        "assisted": "I am answering with help from someone who reads or ticks for me",
        "proxy": "I am answering for someone else, for example my child",
        "consent": "I have read this and want to answer.",
        "consent_error": "Tick the box if you want to answer.",
        "start": "Start",
        "next": "Next",
        "back": "Back",
        "send": "Send the answers",
        "page_of": "Page {n} of {total}",
        "language": "Language",
        "view": "Display",
        "large_text": "Larger text",
        "normal_text": "Normal text",
        "high_contrast": "High contrast",
        "normal_contrast": "Normal colours",
        "read_aloud": "Read aloud",
        "saved_note": "Your answers are saved when you go on. You can continue later in the same "
        "browser.",
        "thanks_title": "Thank you for your answers!",
        "thanks_body": "Your answers are saved. You can close the page now.",
        "closed_title": "The survey is closed",
        "closed_body": "It is no longer possible to answer. Thank you for wanting to take part.",
        "conflict": "These answers have already been sent and cannot be changed. Contact the "
        "auditors if something went wrong.",
        "not_sent": "Your answers are not sent yet. Press “{send}” when you are ready.",
        "incomplete": "Some questions that need an answer have none. Answer them here first.",
        "sent_title": "Your answers have been sent",
        "sent_body": "Thank you! We have received your answers. They cannot be changed. You can close the page now.",
        "another": "Is someone else going to answer in this browser?",
        "new_answer": "Start a new answer",
        "skip": "Skip to the questions",
    },
    "ar": {
        "start_title": "عن الاستبيان",
        "who_runs": "هذا الاستبيان من مراجعين من المستخدمين في {performer}، ولديهم تجربة شخصية "
        "مع الدعم. طلبت {client} منهم معرفة رأي المستخدمين في {unit}.",
        "voluntary": "الإجابة اختيارية. يمكنك التوقف متى شئت وتخطي الأسئلة.",
        "anonymous": "أنت مجهول الهوية. لا نحفظ اسمك أو عنوان IP الخاص بك أو أي شيء يدل على هويتك. "
        "لا تكتب أسماء أو أرقام هواتف في إجاباتك.",
        "use": "تُجمع إجاباتك مع إجابات الآخرين. تُعرض النتائج فقط لمجموعات من خمسة أشخاص على الأقل. "
        "يكتب المراجعون تقريرًا بمقترحات للجهة، وترد الجهة عليها.",
        "who_answers": "من يجيب؟",
        "self": "أجيب بنفسي",
        "assisted": "أجيب بمساعدة شخص يقرأ أو يضع العلامات من أجلي",
        "proxy": "أجيب نيابة عن شخص آخر، مثل طفلي",
        "consent": "قرأت هذا وأريد أن أجيب.",
        "consent_error": "ضع علامة في المربع إذا كنت تريد الإجابة.",
        "start": "ابدأ",
        "next": "التالي",
        "back": "رجوع",
        "send": "إرسال الإجابات",
        "page_of": "الصفحة {n} من {total}",
        "language": "اللغة",
        "view": "العرض",
        "large_text": "نص أكبر",
        "normal_text": "نص عادي",
        "high_contrast": "تباين عالٍ",
        "normal_contrast": "ألوان عادية",
        "read_aloud": "اقرأ بصوت عالٍ",
        "saved_note": "تُحفظ إجاباتك عندما تنتقل إلى الصفحة التالية. يمكنك المتابعة لاحقًا في المتصفح نفسه.",
        "thanks_title": "شكرًا على إجاباتك!",
        "thanks_body": "تم حفظ إجاباتك. يمكنك إغلاق الصفحة الآن.",
        "closed_title": "الاستبيان مغلق",
        "closed_body": "لم يعد من الممكن الإجابة. شكرًا لرغبتك في المشاركة.",
        "conflict": "تم إرسال هذه الإجابات من قبل ولا يمكن تغييرها. تواصل مع المراجعين إذا حدث خطأ.",
        "not_sent": "لم تُرسَل إجاباتك بعد. اضغط على «{send}» عندما تكون جاهزًا.",
        "incomplete": "بعض الأسئلة المطلوبة بلا إجابة. أجب عنها هنا أولًا.",
        "sent_title": "تم إرسال إجاباتك",
        "sent_body": "شكرًا! لقد وصلتنا إجاباتك. لا يمكن تغييرها. يمكنك إغلاق الصفحة الآن.",
        "another": "هل سيجيب شخص آخر في هذا المتصفح؟",
        "new_answer": "ابدأ إجابة جديدة",
        "skip": "انتقل إلى الأسئلة",
    },
}
TEXTS["sv-x-child"] = TEXTS["sv"]


def texts(lang: str) -> dict:
    return TEXTS.get(lang) or TEXTS["en"]
