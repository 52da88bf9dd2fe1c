"""The default checklist for certification of user influence, written for this project in
Swedish: criteria per quality area and level, each concrete enough to check, with guidance for
the people assessing it and an easy-to-read wording. Loaded by a data migration, so every
installation has it; a user organisation edits its own copy (a new version)."""

TITLE = "Certifiering av brukarinflytande – grundlista"

# (quality area, level, criterion, guidance, easy-to-read)
CRITERIA = [
    # Bemötande
    (
        "treatment",
        "individual",
        "Brukaren tillfrågas om hur hen vill bli bemött och tilltalad, och svaret dokumenteras.",
        "Titta i några journaler eller genomförandeplaner. Fråga brukare om de fått frågan.",
        "Personalen frågar hur du vill bli bemött. De skriver ner vad du svarar.",
    ),
    (
        "treatment",
        "service",
        "Verksamheten har en skriftlig rutin för hur synpunkter och klagomål på bemötande tas "
        "emot och besvaras.",
        "Visa rutinen. Finns en synpunktslåda eller ett formulär som brukare känner till?",
        "Det finns en rutin för klagomål. Du kan säga vad du tycker om hur du blir bemött.",
    ),
    (
        "treatment",
        "service",
        "Personal och brukare har tillsammans diskuterat bemötande på en arbetsplatsträff eller "
        "i brukarrådet under det senaste året.",
        "Visa minnesanteckningar eller protokoll där bemötande tas upp med brukare närvarande.",
        "Personal och brukare har pratat om bemötande tillsammans det senaste året.",
    ),
    (
        "treatment",
        "system",
        "Bemötande följs upp i verksamhetens kvalitetsarbete, till exempel med frågor i en "
        "brukarenkät eller brukarrevision.",
        "Visa resultat från enkät eller revision och vad verksamheten gjorde med dem.",
        "Verksamheten tar reda på hur brukare blir bemötta och gör något åt det.",
    ),
    (
        "treatment",
        "individual",
        "Brukaren kan ha med sig en stödperson eller anhörig till möten om sin insats.",
        "Fråga brukare. Står möjligheten i informationen till nya brukare?",
        "Du får ta med någon du litar på till möten.",
    ),
    # Information
    (
        "information",
        "individual",
        "Varje ny brukare får muntlig och skriftlig information om verksamhetens insatser, "
        "öppettider och hur man lämnar synpunkter.",
        "Fråga nya brukare vad de fick veta. Visa det skriftliga materialet.",
        "När du är ny får du veta vad verksamheten gör. Du får det både muntligt och på papper.",
    ),
    (
        "information",
        "service",
        "Det finns en skriftlig rutin för hur brukare får information om verksamhetens insatser.",
        "Visa rutinen och vem som ansvarar för att informationen är aktuell.",
        "Det finns en rutin för hur du får information om vad verksamheten gör.",
    ),
    (
        "information",
        "service",
        "Det finns tydlig information om varje insats, och en broschyr eller folder har skrivits "
        "tillsammans med brukare.",
        "Visa broschyren och berätta hur brukare var med och skrev den.",
        "Det finns information om varje insats. Brukare har varit med och skrivit den.",
    ),
    (
        "information",
        "service",
        "Informationen finns i lättläst form och går att få på andra språk vid behov.",
        "Visa lättläst material. Hur får en brukare information på sitt eget språk?",
        "Informationen finns på lätt svenska. Du kan få den på ditt eget språk.",
    ),
    (
        "information",
        "system",
        "Brukare har tillgång till en gästdator eller annat sätt att själva söka information och "
        "sköta ärenden.",
        "Visa gästdatorn eller motsvarande och hur brukare får hjälp att använda den.",
        "Det finns en dator som du kan använda för att söka information.",
    ),
    # Kartläggning av problem
    (
        "needs_assessment",
        "individual",
        "Brukaren är med när hens behov kartläggs och får läsa och kommentera det som skrivs.",
        "Fråga brukare. Titta i några utredningar eller kartläggningar.",
        "Du är med när personalen tar reda på vad du behöver. Du får läsa vad de skriver.",
    ),
    (
        "needs_assessment",
        "individual",
        "Brukarens egen beskrivning av sin situation finns med i kartläggningen, med egna ord.",
        "Titta efter brukarens egna ord i dokumentationen.",
        "Det du själv berättar om ditt liv skrivs ner med dina egna ord.",
    ),
    (
        "needs_assessment",
        "service",
        "Verksamheten använder ett kartläggningsinstrument som brukare har fått tycka till om.",
        "Visa instrumentet och när och hur brukare gav synpunkter på det.",
        "Verksamheten använder ett frågeformulär. Brukare har fått säga vad de tycker om det.",
    ),
    (
        "needs_assessment",
        "service",
        "Brukare har varit med och tagit fram frågorna i verksamhetens kartläggning av "
        "brukarnas behov, till exempel i en enkät.",
        "Visa frågorna och berätta hur brukare deltog.",
        "Brukare har varit med och skrivit frågorna om vad brukare behöver.",
    ),
    (
        "needs_assessment",
        "system",
        "En sammanställning av brukarnas behov används när verksamheten planerar nästa år.",
        "Visa verksamhetsplanen och var behoven finns med.",
        "Verksamheten använder det brukarna behöver när den planerar.",
    ),
    # Mål och delmål
    (
        "goals",
        "individual",
        "Varje brukare har en genomförandeplan med mål som hen själv har formulerat eller godkänt.",
        "Titta i några planer. Står målen med brukarens ord? Har brukaren skrivit under?",
        "Du har en plan med mål. Du har själv bestämt målen eller sagt ja till dem.",
    ),
    (
        "goals",
        "individual",
        "Målen är uppdelade i delmål som brukaren och personalen följer upp tillsammans.",
        "Visa en plan med delmål och när de följdes upp.",
        "Målen är delade i mindre steg. Du och personalen kollar stegen tillsammans.",
    ),
    (
        "goals",
        "service",
        "Verksamhetens egna mål för brukarinflytande är skrivna och kända av personalen.",
        "Fråga några i personalgruppen om målen. Visa var de står.",
        "Verksamheten har skrivit mål för hur brukare ska kunna påverka.",
    ),
    (
        "goals",
        "system",
        "Brukarnas mål och erfarenheter vägs in när verksamhetens mål sätts för nästa år.",
        "Visa hur brukarnas synpunkter kom med i målarbetet, till exempel via brukarrådet.",
        "Det brukarna vill påverkar verksamhetens mål.",
    ),
    # Stödinsatser
    (
        "support",
        "individual",
        "Brukaren kan påverka när, var och av vem stödet ges.",
        "Fråga brukare om de har kunnat ändra tid eller person. Finns exempel?",
        "Du kan påverka när du får stöd, var du får det och vem som ger det.",
    ),
    (
        "support",
        "service",
        "Gruppverksamhetens tider har bestämts eller ändrats efter brukarnas önskemål.",
        "Visa hur brukarnas önskemål om tider samlades in och vad som ändrades.",
        "Tiderna för grupperna har bestämts efter vad brukarna vill.",
    ),
    (
        "support",
        "service",
        "Brukare har varit med och tagit fram eller förändrat minst en insats under det "
        "senaste året, till exempel utökade tider för självhjälpsgrupper.",
        "Beskriv förändringen och hur brukare var delaktiga.",
        "Brukare har varit med och gjort en insats bättre det senaste året.",
    ),
    (
        "support",
        "system",
        "Verksamheten erbjuder stöd av personer med egen erfarenhet, till exempel "
        "självhjälpsgrupper eller kamratstöd.",
        "Visa vilka former av kamratstöd som finns och hur brukare får veta om dem.",
        "Du kan få stöd av andra som har varit med om samma sak som du.",
    ),
    (
        "support",
        "individual",
        "Brukaren kan välja mellan olika sätt att få stöd, till exempel enskilt eller i grupp.",
        "Fråga brukare vilka val de har fått. Visa informationen om valen.",
        "Du kan välja hur du får stöd. Till exempel ensam eller i grupp.",
    ),
    # Samverkan med andra
    (
        "cooperation",
        "individual",
        "Brukaren tillfrågas innan verksamheten samverkar med andra om hen, och samtycket "
        "dokumenteras.",
        "Titta efter dokumenterade samtycken. Fråga brukare om de blivit tillfrågade.",
        "Personalen frågar dig innan de pratar med andra om dig.",
    ),
    (
        "cooperation",
        "individual",
        "Brukaren erbjuds en samordnad individuell plan (SIP) när flera huvudmän är inblandade, "
        "och får ha med en stödperson.",
        "Visa rutinen för SIP och hur brukaren bjuds in och förbereds.",
        "Om du får hjälp från flera håll kan du få en gemensam plan. Du får ta med någon.",
    ),
    (
        "cooperation",
        "system",
        "Verksamheten samverkar med brukar- och anhörigorganisationer, till exempel genom "
        "återkommande möten.",
        "Visa vilka organisationer och hur ofta ni träffas.",
        "Verksamheten träffar föreningar för brukare och anhöriga.",
    ),
    (
        "cooperation",
        "service",
        "Verksamheten har en rutin för hur brukare får veta vem som är kontaktperson hos andra "
        "myndigheter och verksamheter.",
        "Visa rutinen och ett exempel.",
        "Du får veta vem du ska prata med på andra ställen som hjälper dig.",
    ),
    # Uppföljning
    (
        "follow_up",
        "individual",
        "Brukarens plan följs upp minst var sjätte månad tillsammans med brukaren.",
        "Titta efter datum för uppföljning i några planer.",
        "Din plan kollas minst två gånger om året. Du är med när det görs.",
    ),
    (
        "follow_up",
        "service",
        "Det finns en synpunktslåda eller annat enkelt sätt att lämna synpunkter anonymt, och "
        "synpunkterna besvaras synligt.",
        "Visa lådan eller motsvarande och var svaren sätts upp.",
        "Det finns en låda där du kan lämna förslag utan att skriva ditt namn. Du får svar.",
    ),
    (
        "follow_up",
        "service",
        "Brukarnas synpunkter sammanställs minst en gång per år och redovisas för brukarna.",
        "Visa sammanställningen och hur den redovisades.",
        "Verksamheten skriver ihop vad brukarna tycker. Brukarna får veta vad det blev.",
    ),
    (
        "follow_up",
        "system",
        "Verksamheten har genomfört eller beställt en brukarrevision eller brukarenkät de "
        "senaste tre åren och följt upp åtgärderna.",
        "Visa rapporten och handlingsplanen med status för varje åtgärd.",
        "Brukare har granskat verksamheten de senaste tre åren. Verksamheten har gjort "
        "förändringar efteråt.",
    ),
    (
        "follow_up",
        "individual",
        "Brukaren får säga vad hen tycker om stödet vid varje uppföljning, och det skrivs ner.",
        "Titta i dokumentationen efter brukarens egen bedömning.",
        "När planen kollas får du säga vad du tycker. Det skrivs ner.",
    ),
    # Utbildning
    (
        "training",
        "service",
        "All personal har fått utbildning i brukarinflytande och bemötande, och nyanställda får "
        "den inom sex månader.",
        "Visa utbildningsplan och vilka som gått utbildningen.",
        "All personal har lärt sig om brukarinflytande. Nya i personalen lär sig det snart.",
    ),
    (
        "training",
        "service",
        "Personer med egen erfarenhet medverkar i personalens utbildning.",
        "Visa program eller exempel där brukare eller brukarorganisationer utbildat personal.",
        "Brukare är med och lär personalen.",
    ),
    (
        "training",
        "individual",
        "Brukare som deltar i brukarråd eller liknande erbjuds introduktion och stöd för "
        "uppdraget.",
        "Fråga brukarrepresentanter vad de fick för introduktion.",
        "Om du är med i ett brukarråd får du lära dig hur det fungerar.",
    ),
    (
        "training",
        "system",
        "Verksamheten har en plan för hur kunskapen om brukarinflytande hålls levande när "
        "personal byts ut.",
        "Visa planen. Hur får nya chefer och ny personal veta vad som gäller?",
        "Verksamheten har en plan så att nya i personalen också lär sig om brukarinflytande.",
    ),
    # Brukarinflytandepolicy
    (
        "user_influence",
        "service",
        "Det finns en skriftlig policy för brukarinflytande som brukare har varit med och tagit "
        "fram.",
        "Visa policyn och hur brukare deltog i arbetet.",
        "Det finns ett papper om hur brukare ska kunna påverka. Brukare har varit med och skrivit "
        "det.",
    ),
    (
        "user_influence",
        "service",
        "Det finns ett brukarråd eller annat forum där brukare regelbundet möter ledningen.",
        "Visa mötesanteckningar från det senaste året.",
        "Brukare träffar cheferna ofta och kan säga vad de tycker.",
    ),
    (
        "user_influence",
        "service",
        "Brukare som deltar i råd, utbildning eller utvecklingsarbete får ersättning för sin tid.",
        "Visa rutinen för arvode eller annan ersättning.",
        "Du får betalt när du hjälper verksamheten, till exempel i ett brukarråd.",
    ),
    (
        "user_influence",
        "system",
        "Brukare är representerade när verksamheten tar beslut om förändringar som berör dem.",
        "Ge exempel på beslut där brukare var med. Finns det i arbetsordningen?",
        "Brukare är med när verksamheten bestämmer om saker som gäller dem.",
    ),
    (
        "user_influence",
        "individual",
        "Varje brukare vet vem hen kan vända sig till för att påverka sin egen insats.",
        "Fråga några brukare vem de vänder sig till.",
        "Du vet vem du ska prata med om du vill ändra något i ditt stöd.",
    ),
    (
        "user_influence",
        "system",
        "Brukarorganisationer bjuds in att lämna synpunkter när verksamhetens styrdokument ändras.",
        "Visa en remiss eller inbjudan och svaret.",
        "Föreningar för brukare får tycka till när verksamhetens regler ändras.",
    ),
    # Kvalitetsledningssystem
    (
        "quality_system",
        "service",
        "Brukarinflytande finns med i verksamhetens kvalitetsledningssystem med rutiner och "
        "ansvarig person.",
        "Visa var i ledningssystemet brukarinflytande står och vem som ansvarar.",
        "Verksamheten har skrivit hur brukarinflytande ska fungera och vem som ansvarar.",
    ),
    (
        "quality_system",
        "service",
        "Synpunkter och klagomål från brukare används i verksamhetens förbättringsarbete och "
        "det går att visa exempel.",
        "Visa minst ett exempel på en förändring som kom från en synpunkt.",
        "Det brukare säger används för att göra verksamheten bättre.",
    ),
    (
        "quality_system",
        "system",
        "Resultat från brukarinflytandet redovisas i verksamhetens kvalitetsberättelse eller "
        "till nämnden.",
        "Visa kvalitetsberättelsen eller nämndsprotokollet.",
        "Verksamheten berättar för politikerna vad brukarna har tyckt.",
    ),
    (
        "quality_system",
        "system",
        "Verksamheten följer upp handlingsplanen för certifieringen minst var sjätte månad och "
        "redovisar den för brukarna.",
        "Visa senaste uppföljningen och hur brukarna fick ta del av den.",
        "Verksamheten kollar planen två gånger om året. Brukarna får veta hur det går.",
    ),
    (
        "quality_system",
        "individual",
        "Brukaren kan se vad som hänt med en synpunkt hen har lämnat.",
        "Visa hur svar på synpunkter återkopplas, till exempel på anslagstavlan eller personligen.",
        "Om du har lämnat en synpunkt får du veta vad som hände med den.",
    ),
    (
        "quality_system",
        "service",
        "Det finns en utsedd person eller grupp med brukare och personal som driver "
        "arbetet med certifieringen och håller frågorna levande.",
        "Visa vilka som ingår och när gruppen senast träffades.",
        "Det finns en grupp med brukare och personal som ser till att arbetet fortsätter.",
    ),
]


def install(checklist_model, criterion_model):
    """Create the default checklist (version 1, no organisation) with the models given: the
    historical ones in the data migration, the real ones if a database was emptied after it
    (as tests that flush tables do)."""
    checklist = checklist_model.objects.create(title=TITLE, version=1)
    criterion_model.objects.bulk_create(
        criterion_model(
            checklist=checklist,
            quality_area=area,
            level=level,
            position=position,
            text=text,
            guidance=guidance,
            easy_text=easy,
        )
        for position, (area, level, text, guidance, easy) in enumerate(CRITERIA, 1)
    )
    return checklist
