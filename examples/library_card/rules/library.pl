% =============================================================================
% A small complete policy of another kind: the town library's lending rules.
% The rule book it is written from has four clauses:
%   1. Anyone living in the town may get a library card, on showing an
%      identity document with their address.
%   2. A card holder may borrow books while none they hold is overdue.
%   3. Overdue books must be returned.
%   4. A book more than 30 days overdue costs a fine, paid at the front desk.
% =============================================================================

% --- The sources: every clause of the rule book ---------------------------------
source_clause("library rules 1").
source_clause("library rules 2").
source_clause("library rules 3").
source_clause("library rules 4").

% --- What the applicant can tell us ----------------------------------------------

@description(en: "You live in the town", zh: "您居住在本镇")
@question(en: "Do you live in the town?", zh: "您是否居住在本镇？")
input resident.

@description(en: "You hold a library card", zh: "您持有借书证")
@question(en: "Do you hold a library card?", zh: "您是否持有借书证？")
input has_card.

@description(en: "You hold an identity document with your address", zh: "您持有写明住址的身份证件")
@question(en: "Do you hold an identity document that shows your address?", zh: "您是否持有写明住址的身份证件？")
input has_id_with_address.

@description(en: "The books you hold past their due date", zh: "您逾期未还的图书")
@question(
    en: "Which books do you hold past their due date, and by how many days? (none: [])",
    zh: "您有哪些图书逾期未还，各逾期多少天？（没有则填 []）")
input overdue(book: string, days: integer).

% --- The rules ------------------------------------------------------------------

@id("library.1")
@source("library rules 1")
@title(en: "Get a library card", zh: "办理借书证")
@explain(en: "You live in the town and hold no card", zh: "您居住在本镇且没有借书证")
eligible(get_card) :-
    resident,
    not has_card.

@id("library.2")
@source("library rules 2")
@title(en: "Borrow books", zh: "借阅图书")
@explain(en: "You live in the town", zh: "您居住在本镇")
@interpretation("Clause 2 is for card holders; the card and a clear record are its prerequisites (needs), so a resident without a card is shown the card first.")
eligible(borrow_books) :-
    resident.

@id("library.3")
@source("library rules 3")
@title(en: "Return your overdue books", zh: "归还逾期图书")
@explain(en: "You hold a book past its due date", zh: "您有逾期未还的图书")
eligible(return_books) :-
    overdue(Book, Days).

@id("library.4")
@source("library rules 4")
@title(en: "Pay the fine for a book more than 30 days overdue", zh: "缴纳逾期超过30天图书的罚款")
@explain(en: "A book you hold is more than 30 days overdue", zh: "您有图书逾期超过30天")
eligible(pay_fine) :-
    overdue(Book, Days),
    Days > 30.

@id("library.2.has_overdue")
@source("library rules 2")
@title(en: "You hold an overdue book", zh: "您有逾期未还的图书")
has_overdue :-
    overdue(Book, Days).

% --- Milestones: what the applicant has already -----------------------------------

@id("achieved.card")
@source("library rules 1")
@title(en: "You hold a library card", zh: "您持有借书证")
achieved(card) :-
    has_card.

@id("achieved.id_document")
@source("library rules 1")
@title(en: "You hold an identity document with your address", zh: "您持有写明住址的身份证件")
achieved(id_document) :-
    has_id_with_address.

@id("achieved.clear_record")
@source("library rules 2")
@title(en: "No book you hold is overdue", zh: "您没有逾期未还的图书")
achieved(clear_record) :-
    not has_overdue.

% --- The catalogue: what each procedure is, where, what to bring, in what order ----

procedure(get_card, may).
title(get_card, "Get a library card", "办理借书证").
office(get_card, "The front desk of the library", "图书馆总服务台").
document(get_card, id_document, "An identity document with your address", "写明住址的身份证件").
citation(get_card, "library rules 1").
needs(get_card, id_document).
provides(get_card, card).

procedure(borrow_books, may).
title(borrow_books, "Borrow books", "借阅图书").
office(borrow_books, "Any lending desk", "任一借还书服务台").
document(borrow_books, card, "Your library card", "借书证").
citation(borrow_books, "library rules 2").
needs(borrow_books, card).
needs(borrow_books, clear_record).

procedure(return_books, must).
title(return_books, "Return your overdue books", "归还逾期图书").
office(return_books, "Any lending desk, or the return box", "任一借还书服务台或还书箱").
citation(return_books, "library rules 3").
provides(return_books, clear_record).

procedure(pay_fine, must).
title(pay_fine, "Pay the fine for a book more than 30 days overdue", "缴纳逾期超过30天图书的罚款").
office(pay_fine, "The front desk of the library", "图书馆总服务台").
duration(pay_fine, "On the spot", "当场办结").
citation(pay_fine, "library rules 4").

% The library does not say where to get an identity document.
@source("library rules 1")
obtain(card, "Get it at the front desk (get_card)", "在总服务台办理（get_card）").

% What the milestones are called, in each language (for --lang en|zh).
label(card, "library card", "借书证").
label(id_document, "identity document with your address", "写明住址的身份证件").
label(clear_record, "no overdue book", "无逾期未还图书").

% --- The answer's predicates (outputs) ------------------------------------------------

derived eligible(procedure: enum(get_card, borrow_books, return_books, pay_fine)).
derived procedure(procedure: enum(get_card, borrow_books, return_books, pay_fine), modality: enum(must, may, option)).
derived title(procedure, en: string, zh: string).
derived office(procedure, en: string, zh: string).
derived duration(procedure, en: string, zh: string).
derived document(procedure, key, en: string, zh: string).
derived citation(procedure, text: string).
derived needs(procedure, milestone: enum(card, id_document, clear_record)).
derived provides(procedure, milestone: enum(card, id_document, clear_record)).
derived achieved(milestone: enum(card, id_document, clear_record)).
derived obtain(milestone, en: string, zh: string).
derived label(key, en: string, zh: string).
derived source_clause(citation: string).
