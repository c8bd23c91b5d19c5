% =============================================================================
% nonlocal-guide: "How do foreigners pay medical insurance locally?"
% (../../../shared/seeds/001_99129b4a13827c69.txt), and its legal basis,
% the Social Insurance Law of the PRC, Article 23 (SIL).
%
% "Foreigners" in this translation means people from other regions of China,
% who hold an urban or a rural hukou.
%
% One section per item, in the document's order: the eligibility rule(s), then
% the procedure's catalogue data.
% =============================================================================

% -----------------------------------------------------------------------------
% "The ways for foreigners to pay medical insurance locally are as follows:"
% ways.1-ways.4 describe one procedure: the registration as a freelancer.
% -----------------------------------------------------------------------------

% ways.1 — "First of all, you need to apply for social security locally as a
%           freelancer;"
% ways.2 — "Secondly, the insurance condition is to hold an urban hukou or a
%           rural hukou;"
% (one rule per kind of hukou)

@id("nonlocal-guide.ways.1.self_employed")
@source("nonlocal-guide ways.1")
@title(
    en: "You work as a freelancer (individual business without employees)",
    zh: "您以自由职业者身份就业（无雇工的个体工商户）")
@interpretation("ways.1 'as a freelancer' is an employment condition: read as the flexible employment of SIL art.23 para.2, the guide's legal basis (an individual business without employees, a part-time employee not in the employee scheme, another flexible employee). An employee or an employer is not a freelancer: an employee from another region enrols through the employer (SIL art.23 para.1).")
freelancer :-
    employment(self_employed_no_employees).

@id("nonlocal-guide.ways.1.part_time")
@source("nonlocal-guide ways.1")
@title(en: "You work as a freelancer (part-time)", zh: "您以自由职业者身份就业（非全日制）")
@interpretation("ways.1 'as a freelancer' read as the flexible employment of SIL art.23 para.2.")
freelancer :-
    employment(part_time_not_in_employee_scheme).

@id("nonlocal-guide.ways.1.other_flexible")
@source("nonlocal-guide ways.1")
@title(en: "You work as a freelancer (other flexible employment)", zh: "您以自由职业者身份就业（其他灵活就业）")
@interpretation("ways.1 'as a freelancer' read as the flexible employment of SIL art.23 para.2.")
freelancer :-
    employment(other_flexible).

@id("nonlocal-guide.ways.urban")
@source("nonlocal-guide ways.2")
@title(en: "Register for social security as a freelancer (urban hukou)", zh: "以自由职业者身份办理社保登记（城镇户口）")
@explain(
    en: "You are from another region, work as a freelancer, hold an urban hukou, want to pay medical insurance here and are not enrolled yet",
    zh: "您是外地人，以自由职业者身份就业，持城镇户口，希望在本地缴纳医疗保险且尚未参保")
@interpretation("Read as for a person from another region who works as a freelancer (ways.1), wants to pay medical insurance locally (the guide's question: 'how do foreigners pay medical insurance locally') and is not enrolled here yet (not in the text: the state in which registering is still to be done); ways.2's 'insurance condition' is read as an own condition of the registration.")
eligible(register_social_security_as_freelancer) :-
    from_another_region,
    freelancer,
    wants_to_pay_locally,
    hukou_type(urban),
    not enrolled_in_medical_insurance.

@id("nonlocal-guide.ways.rural")
@source("nonlocal-guide ways.2")
@title(en: "Register for social security as a freelancer (rural hukou)", zh: "以自由职业者身份办理社保登记（农村户口）")
@explain(
    en: "You are from another region, work as a freelancer, hold a rural hukou, want to pay medical insurance here and are not enrolled yet",
    zh: "您是外地人，以自由职业者身份就业，持农村户口，希望在本地缴纳医疗保险且尚未参保")
@interpretation("Read as for a person from another region who works as a freelancer (ways.1), wants to pay medical insurance locally (the guide's question: 'how do foreigners pay medical insurance locally') and is not enrolled here yet (not in the text: the state in which registering is still to be done); ways.2's 'insurance condition' is read as an own condition of the registration.")
eligible(register_social_security_as_freelancer) :-
    from_another_region,
    freelancer,
    wants_to_pay_locally,
    hukou_type(rural),
    not enrolled_in_medical_insurance.

% ways.3 — "Then, go to the social security service point of the local
%           community street or the social security bureau at the district and
%           county level;"
% ways.4 — "Finally, prepare the basic information needed, including household
%           registration book, ID card and its copy, and two one-inch photos."

procedure(register_social_security_as_freelancer, must).
title(register_social_security_as_freelancer, "Register for social security locally as a freelancer", "以自由职业者身份在本地办理社保登记").
@source("nonlocal-guide ways.3")
office(register_social_security_as_freelancer, "The social security service point of your community (street), or the district/county social security bureau", "所在社区（街道）社保服务点或区县社保局").
@source("nonlocal-guide ways.4")
document(register_social_security_as_freelancer, household_register, "Household registration book", "户口簿").
@source("nonlocal-guide ways.4")
document(register_social_security_as_freelancer, id_card, "ID card", "居民身份证").
@source("nonlocal-guide ways.4")
document(register_social_security_as_freelancer, id_card_copy, "A copy of the ID card", "身份证复印件").
@source("nonlocal-guide ways.4")
document(register_social_security_as_freelancer, photos, "Two one-inch photos", "一寸照片两张").
citation(register_social_security_as_freelancer, "nonlocal-guide ways.1").
citation(register_social_security_as_freelancer, "nonlocal-guide ways.2").
citation(register_social_security_as_freelancer, "nonlocal-guide ways.3").
citation(register_social_security_as_freelancer, "nonlocal-guide ways.4").
@source("nonlocal-guide ways.4")
needs(register_social_security_as_freelancer, id_card).  % the ID card and its copy
provides(register_social_security_as_freelancer, enrolment).

% -----------------------------------------------------------------------------
% "Medical insurance registration process:"
% -----------------------------------------------------------------------------

% process.1 — "Understand the local medical insurance policy: ..." (advice; no
%              procedure of its own).
% process.2 — "Prepare relevant materials: prepare ID cards, household
%              registration books, work certificates and other relevant
%              materials ..." (the documents of the enrolment procedures below,
%              which therefore need the ID card first).

% process.3 — "Choose insurance methods: choose appropriate insurance methods
%              according to personal circumstances, such as employee medical
%              insurance and resident medical insurance;"

@id("nonlocal-guide.process.3")
@source("nonlocal-guide process.3")
@title(en: "Enrol in resident medical insurance", zh: "参加城乡居民医疗保险")
@explain(
    en: "You are not employed, want to pay medical insurance here and are not enrolled yet",
    zh: "您未就业，希望在本地缴纳医疗保险且尚未参保")
@interpretation("'According to personal circumstances' is read narrowly: resident medical insurance is for a person who is not employed (employees, employers and flexible workers have the employee scheme, SIL art.23). wants_to_pay_locally: the registration process is the nonlocal guide's answer to 'how to pay medical insurance locally', so it is for one who wants to; SIL art.23's own rules (an obligation, para.1, and a permission, para.2) do not depend on wanting. 'Not enrolled yet' is not in the text: the state in which enrolling is still to be done.")
eligible(enroll_resident_medical_insurance) :-
    employment(not_employed),
    wants_to_pay_locally,
    not enrolled_in_medical_insurance.

procedure(enroll_resident_medical_insurance, may).
title(enroll_resident_medical_insurance, "Enrol in resident medical insurance", "参加城乡居民医疗保险").
@source("nonlocal-guide process.4")
office(enroll_resident_medical_insurance, "The local social security agency, or its online service platform", "当地社保经办机构或网上服务平台").
@source("nonlocal-guide process.2")
document(enroll_resident_medical_insurance, id_card, "ID card", "居民身份证").
@source("nonlocal-guide process.2")
document(enroll_resident_medical_insurance, household_register, "Household registration book", "户口簿").
citation(enroll_resident_medical_insurance, "nonlocal-guide process.3").
needs(enroll_resident_medical_insurance, id_card).  % process.2: prepare the ID card
provides(enroll_resident_medical_insurance, enrolment).

% process.4 — "Apply for insurance registration: bring the prepared materials to
%              the local social security agency or apply for insurance
%              registration through the online service platform;"
%              (the office of the enrolment procedures; no procedure of its own)

% process.5 — "Payment of medical insurance expenses: according to the
%              prescribed payment standards and payment time, pay medical
%              insurance expenses through bank transfer and online payment;"

@id("nonlocal-guide.process.5")
@source("nonlocal-guide process.5")
@title(en: "Pay the medical insurance premiums", zh: "缴纳医疗保险费")
@explain(
    en: "You are insured (or about to be) and have not paid the premiums yet",
    zh: "您已参保（或即将参保），尚未缴费")
@interpretation("Read as for anyone insured or about to enrol (insured_or_enrolling, returnee-guide III) who has not paid yet, and who pays as an individual: an employee's premiums are paid by employer and employee (SIL art.23 para.1, pay_employee_premiums_with_employer), not by the employee's bank transfer or online payment. The enrolment itself is the prerequisite needs(enrolment).")
eligible(pay_medical_insurance_premiums) :-
    insured_or_enrolling,
    not premiums_paid,
    not employment(employee).

procedure(pay_medical_insurance_premiums, must).
title(pay_medical_insurance_premiums, "Pay the medical insurance premiums", "缴纳医疗保险费").
office(pay_medical_insurance_premiums, "By bank transfer or online payment", "通过银行转账或网上缴费").
duration(pay_medical_insurance_premiums, "By the prescribed payment standard and deadline", "按规定的缴费标准和缴费时间").
citation(pay_medical_insurance_premiums, "nonlocal-guide process.5").
needs(pay_medical_insurance_premiums, enrolment).
provides(pay_medical_insurance_premiums, payment).

% process.6 — "Get a medical insurance card: After the payment is completed, get
%              a medical insurance card as an important voucher for enjoying
%              medical insurance benefits."
%              (the card channels of returnee-guide III need payment)

% -----------------------------------------------------------------------------
% "Legal basis: People's Republic of China (PRC) social insurance law,
%  Article 23"
% -----------------------------------------------------------------------------

% SIL art.23 para.1 — "Employees should participate in the basic medical
%                      insurance for employees, and employers and employees
%                      should pay the basic medical insurance premiums in
%                      accordance with state regulations."

@id("SIL.art23.para1")
@source("SIL art.23 para.1")
@title(en: "Enrol in the employee basic medical insurance", zh: "参加职工基本医疗保险")
@explain(
    en: "You are an employee and are not enrolled yet: you must enrol; employer and employee both pay",
    zh: "您是职工且尚未参保：应当参加职工基本医疗保险，由用人单位和职工共同缴费")
@interpretation("'Not enrolled yet' is not in the text: it is read as the state in which the obligation to participate is still to be met (an enrolled employee has met it).")
eligible(enroll_employee_medical_insurance) :-
    employment(employee),
    not enrolled_in_medical_insurance.

procedure(enroll_employee_medical_insurance, must).
title(enroll_employee_medical_insurance, "Enrol in the employee basic medical insurance (employer and employee pay)", "参加职工基本医疗保险（用人单位和职工共同缴费）").
@source("nonlocal-guide process.4")
office(enroll_employee_medical_insurance, "The local social security agency, or its online service platform", "当地社保经办机构或网上服务平台").
@source("nonlocal-guide process.2")
document(enroll_employee_medical_insurance, id_card, "ID card", "居民身份证").
@source("nonlocal-guide process.2")
document(enroll_employee_medical_insurance, household_register, "Household registration book", "户口簿").
@source("nonlocal-guide process.2")
document(enroll_employee_medical_insurance, work_certificate, "Work certificate", "工作证明").
citation(enroll_employee_medical_insurance, "SIL art.23 para.1").
needs(enroll_employee_medical_insurance, id_card).  % process.2: prepare the ID card
provides(enroll_employee_medical_insurance, enrolment).

@id("SIL.art23.para1.payment")
@source("SIL art.23 para.1")
@title(en: "Employer and employee pay the premiums", zh: "用人单位和职工共同缴纳医疗保险费")
@explain(
    en: "You are an employee, insured (or about to be), and the premiums are not paid yet: your employer and you pay them",
    zh: "您是职工，已参保（或即将参保），尚未缴费：由用人单位和您共同缴纳")
@interpretation("'Employers and employees should pay the basic medical insurance premiums': read as the payment step of an employee who is insured or about to enrol and has not paid yet.")
eligible(pay_employee_premiums_with_employer) :-
    employment(employee),
    insured_or_enrolling,
    not premiums_paid.

procedure(pay_employee_premiums_with_employer, must).
title(pay_employee_premiums_with_employer, "Pay the premiums together with your employer", "与用人单位共同缴纳医疗保险费").
office(pay_employee_premiums_with_employer, "Through your employer, which pays its share and yours in accordance with state regulations", "通过用人单位按照国家规定缴纳单位和个人部分").
citation(pay_employee_premiums_with_employer, "SIL art.23 para.1").
needs(pay_employee_premiums_with_employer, enrolment).
provides(pay_employee_premiums_with_employer, payment).

@id("SIL.art23.para1.employer")
@source("SIL art.23 para.1")
@title(en: "Employers pay for their employees", zh: "用人单位为职工缴费")
@explain(
    en: "You are an employer (an individual business with employees is one): you must pay the basic medical insurance premiums for your employees, with them",
    zh: "您是用人单位（有雇工的个体工商户也是）：应当与职工共同为职工缴纳基本医疗保险费")
@interpretation("Para.1's 'employers ... should pay' is an obligation of the employer; an individual business with employees is an employer, not one of para.2's flexible workers. The text says nothing of the employer's own insurance, so no rule is made for it.")
eligible(employer_pays_for_employees) :-
    employment(employer).

procedure(employer_pays_for_employees, must).
title(employer_pays_for_employees, "As an employer, pay your employees' medical insurance premiums with them", "作为用人单位，与职工共同缴纳职工基本医疗保险费").
@source("nonlocal-guide process.4")
office(employer_pays_for_employees, "The local social security agency, or its online service platform", "当地社保经办机构或网上服务平台").
citation(employer_pays_for_employees, "SIL art.23 para.1").

% SIL art.23 para.2 — "Individual industrial and commercial households without
%                      employees, part-time employees who have not participated
%                      in the basic medical insurance for employees and other
%                      flexible employees can participate in the basic medical
%                      insurance for employees, and individuals pay the basic
%                      medical insurance premium in accordance with state
%                      regulations."
% Three kinds of flexible worker, one rule each.

@id("SIL.art23.para2.self_employed")
@source("SIL art.23 para.2")
@interpretation("'Not enrolled yet' is not in the text: the state in which the permission to participate is still to be used. No wants_to_pay_locally condition: para.2 grants a permission ('can participate') whatever the person wants, and the modality 'may' already leaves the choice to them.")
@title(
    en: "Enrol in the employee medical insurance as an individual business without employees",
    zh: "无雇工的个体工商户参加职工基本医疗保险")
@explain(
    en: "You run an individual business without employees and are not enrolled yet: you may enrol and pay yourself",
    zh: "您是无雇工的个体工商户且尚未参保：可以参加职工基本医疗保险，由个人缴费")
eligible(enroll_flexible_employment_medical_insurance) :-
    employment(self_employed_no_employees),
    not enrolled_in_medical_insurance.

@id("SIL.art23.para2.part_time")
@source("SIL art.23 para.2")
@interpretation("'Not enrolled yet' is not in the text: the state in which the permission to participate is still to be used. No wants_to_pay_locally condition: para.2 grants a permission ('can participate') whatever the person wants, and the modality 'may' already leaves the choice to them.")
@title(
    en: "Enrol in the employee medical insurance as a part-time employee",
    zh: "非全日制从业人员参加职工基本医疗保险")
@explain(
    en: "You are a part-time employee not in the employee scheme and are not enrolled yet: you may enrol and pay yourself",
    zh: "您是未参加职工基本医疗保险的非全日制从业人员且尚未参保：可以参加，由个人缴费")
eligible(enroll_flexible_employment_medical_insurance) :-
    employment(part_time_not_in_employee_scheme),
    not enrolled_in_medical_insurance.

@id("SIL.art23.para2.other_flexible")
@source("SIL art.23 para.2")
@interpretation("'Not enrolled yet' is not in the text: the state in which the permission to participate is still to be used. No wants_to_pay_locally condition: para.2 grants a permission ('can participate') whatever the person wants, and the modality 'may' already leaves the choice to them.")
@title(en: "Enrol in the employee medical insurance as a flexible worker", zh: "其他灵活就业人员参加职工基本医疗保险")
@explain(
    en: "You are otherwise flexibly employed and are not enrolled yet: you may enrol and pay yourself",
    zh: "您是其他灵活就业人员且尚未参保：可以参加职工基本医疗保险，由个人缴费")
eligible(enroll_flexible_employment_medical_insurance) :-
    employment(other_flexible),
    not enrolled_in_medical_insurance.

procedure(enroll_flexible_employment_medical_insurance, may).
title(enroll_flexible_employment_medical_insurance, "Enrol in the employee basic medical insurance as a flexible worker (you pay)", "以灵活就业人员身份参加职工基本医疗保险（个人缴费）").
@source("nonlocal-guide process.4")
office(enroll_flexible_employment_medical_insurance, "The local social security agency, or its online service platform", "当地社保经办机构或网上服务平台").
@source("nonlocal-guide process.2")
document(enroll_flexible_employment_medical_insurance, id_card, "ID card", "居民身份证").
@source("nonlocal-guide process.2")
document(enroll_flexible_employment_medical_insurance, household_register, "Household registration book", "户口簿").
citation(enroll_flexible_employment_medical_insurance, "SIL art.23 para.2").
needs(enroll_flexible_employment_medical_insurance, id_card).  % process.2: prepare the ID card
provides(enroll_flexible_employment_medical_insurance, enrolment).
