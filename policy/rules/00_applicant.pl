% =============================================================================
% The bundled Beijing policy, part 0: the applicant fact schema and the shape
% of the answer.
%
% Sources (see ../../../shared/POLICY-SPEC.md):
%   10_returnee_guide.pl  <- "What should I do if I go abroad in Beijing without
%                            medical insurance?"               (returnee-guide)
%   20_nonlocal_guide.pl  <- "How do foreigners pay medical insurance locally?"
%                            and Social Insurance Law art.23   (nonlocal-guide, SIL)
%
% Every fact an applicant can give is an `input` of zero arguments (yes/no) or
% one argument (a value). A fact the applicant does not give is UNKNOWN, never
% false: the query command works that out; the rules below never model it.
%
% The answer is a set of predicates (declared `derived` at the end of this file):
%   eligible(P)            the applicant's OWN conditions for procedure P hold
%   procedure(P, M)        P is a procedure; M = must | may | option
%   alternative(P, G)      P is one of the alternatives of group G (one is enough)
%   title/office/duration(P, En, Zh), document(P, Key, En, Zh), citation(P, C)
%   needs(P, Milestone), provides(P, Milestone), achieved(Milestone)
% The order of the documents is carried by the milestones:
%   hukou -> id_card -> enrolment -> payment -> card   (and family_hukou, II.5)
% =============================================================================

% --- Who the applicant is ------------------------------------------------------

@description(
    en: "You are a returned overseas student (you studied abroad and have come back to China)",
    zh: "您是留学回国人员")
@question(en: "Did you study abroad and have you now returned to China?", zh: "您是否曾出国留学并已回国？")
input returned_overseas_student.

@description(en: "You went abroad as", zh: "您出国的方式")
@question(
    en: "How did you go abroad: on public assignment (sent by the state or your unit) or self-funded?",
    zh: "您是如何出国的：公派还是自费？")
@interpretation("returnee-guide II.1 names two ways of going abroad, 'on business' (public assignment) and 'at their own expense'; the documents name no other, so no other value is offered.")
input went_abroad_as(how: enum(public_assignment, self_funded)).

@description(
    en: "You are from another region (your hukou is registered outside this city) and live or work here",
    zh: "您是外地人（户口不在本市），在本地生活或工作")
@question(
    en: "Is your household registration (hukou) in another region, not in this city?",
    zh: "您的户口是否在外地（不在本市）？")
input from_another_region.

@description(en: "The type of household registration (hukou) you hold now", zh: "您现在持有的户口类型")
@question(
    en: "What household registration (hukou) do you hold now: urban, rural, or none?",
    zh: "您现在持有什么户口：城镇户口、农村户口，还是没有户口？")
input hukou_type(type: enum(urban, rural, none)).

@description(en: "Your work situation", zh: "您的就业情况")
@question(
    en: "What is your work situation: an employee; an employer (including an individual business with employees); an individual business owner without employees; a part-time employee not in the employee medical insurance; otherwise flexibly employed; or not employed?",
    zh: "您的就业情况是：职工；用人单位（包括有雇工的个体工商户）；无雇工的个体工商户；未参加职工基本医疗保险的非全日制从业人员；其他灵活就业人员；还是未就业？")
@interpretation("The categories are those of SIL art.23: employees and employers (para.1), individual industrial and commercial households without employees, part-time employees not in the employee scheme and other flexible employees (para.2). An individual business with employees is an employer (para.1), not a flexible worker. 'Not employed' is the remaining case of nonlocal-guide process.3's resident insurance.")
input employment(status: enum(employee, employer, self_employed_no_employees, part_time_not_in_employee_scheme, other_flexible, not_employed)).

% --- The household registration (hukou) ---------------------------------------

@description(en: "You hold a household registration (hukou) in this city now", zh: "您现在持有本市户口")
@question(en: "Do you hold a household registration (hukou) in this city now?", zh: "您现在是否持有本市户口？")
input has_local_hukou.

@description(
    en: "Your household registration (hukou) was cancelled before you went abroad",
    zh: "您出国前已注销户口")
@interpretation("One reading of the translation's 'account' everywhere: the household registration (hukou, 户口). Part I's 'they have cancelled their accounts before going abroad' is the same cancellation as II.2's 'certificate of account cancellation' and II.5's 'minor children's accounts'; the medical insurance lapsed with the hukou. There is no separate fact about an insurance account.")
@question(
    en: "Was your household registration (hukou) cancelled before you went abroad?",
    zh: "您出国前是否注销了户口？")
input hukou_cancelled_before_leaving.

@description(
    en: "You want your household registration (hukou) restored in this city after your return",
    zh: "您希望回国后在本市恢复户口")
@question(
    en: "Do you want your household registration (hukou) restored in this city?",
    zh: "您是否希望在本市恢复户口？")
input wants_hukou_restored.

@description(
    en: "You have a justified reason to register your hukou under another police station in the same city or county",
    zh: "您有正当理由在本市（县）其他派出所辖区落户")
@question(
    en: "Do you have a justified reason to register your hukou under a police station other than the original one, in the same city or county?",
    zh: "您是否有正当理由在本市（县）原派出所以外的其他派出所辖区落户？")
input justified_reason_other_station.

@description(
    en: "You are to be resettled across cities or counties (you settle in a different city or county from the one you left)",
    zh: "您需要跨市、县安置")
@question(
    en: "Are you to settle in a different city or county from the one where your hukou was before you went abroad?",
    zh: "您是否需要跨市、县安置（在出国前户口所在市、县以外的地方落户）？")
input resettled_across_cities.

@description(en: "Your resettlement is under the state's unified assignment", zh: "您的安置属于国家统一分配")
@question(
    en: "Are you resettled under the state's unified assignment (国家统一分配)?",
    zh: "您的安置是否属于国家统一分配？")
input state_unified_assignment.

@description(en: "You have obtained a doctoral degree", zh: "您已获得博士学位")
@question(en: "Have you obtained a doctoral degree?", zh: "您是否已获得博士学位？")
input has_doctorate.

@description(
    en: "You have been transferred to a national key project or a large or medium-sized state-owned enterprise",
    zh: "您被调入国家重点工程或大中型国有企业")
@question(
    en: "Have you been transferred to a national key project or a large or medium-sized state-owned enterprise?",
    zh: "您是否被调入国家重点工程或大中型国有企业工作？")
input transferred_to_key_project_or_soe.

@description(en: "You work in a remote and hard area", zh: "您在边远艰苦地区工作")
@question(en: "Do you work in a remote and hard area?", zh: "您是否在边远艰苦地区工作？")
input works_in_remote_hard_area.

@description(
    en: "You have a spouse or minor children whose hukou you want to move in",
    zh: "您有需要迁入户口的配偶或未成年子女")
@question(
    en: "Do you have a spouse or minor children whose household registration you want to move in with you?",
    zh: "您是否有需要随您迁入户口的配偶或未成年子女？")
input has_spouse_or_minor_children.

% --- The ID card ---------------------------------------------------------------

@description(en: "You hold a valid resident ID card", zh: "您持有有效的居民身份证")
@question(en: "Do you hold a valid resident ID card?", zh: "您是否持有有效的居民身份证？")
input has_valid_id_card.

% --- Documents the applicant holds ---------------------------------------------
% The guides make these documents conditions of a procedure ("directly with their
% passports", II.1), not only items to bring. Each is a milestone of the same
% name (achieved below): a procedure that needs one the applicant lacks is
% blocked by it, and `obtain` says where the documents say to get it.

@description(en: "You hold your passport", zh: "您持有护照")
@question(en: "Do you hold your passport?", zh: "您是否持有护照？")
input has_passport.

@description(
    en: "You hold the certificate of hukou cancellation from the police station of your original registration",
    zh: "您持有原户口所在地派出所出具的注销户口证明")
@question(
    en: "Do you hold the certificate of hukou cancellation issued by the police station of your original registration?",
    zh: "您是否持有原户口所在地派出所出具的注销户口证明？")
input has_hukou_cancellation_certificate.

@description(
    en: "You hold the relevant certificates of the Ministry of Education and the Ministry of Personnel",
    zh: "您持有教育部、人事部的有关证明")
@question(
    en: "Do you hold the relevant certificates of the Ministry of Education and the Ministry of Personnel?",
    zh: "您是否持有教育部、人事部的有关证明？")
input has_moe_mop_certificates.

@description(
    en: "You hold the certificate of the personnel department at or above city/county level of the receiving place",
    zh: "您持有接收地市、县以上人事部门的证明")
@question(
    en: "Do you hold a certificate of the personnel department at or above city/county level of the receiving place?",
    zh: "您是否持有接收地市、县以上人事部门的证明？")
input has_receiving_personnel_certificate.

@description(
    en: "You hold the relevant certificates of a personnel department at or above provincial level",
    zh: "您持有省级以上人事部门的有关证明")
@question(
    en: "Do you hold the relevant certificates of a personnel department at or above provincial level?",
    zh: "您是否持有省级以上人事部门的有关证明？")
input has_provincial_personnel_certificate.

@description(
    en: "You hold the household registration certificates of your spouse and minor children",
    zh: "您持有配偶及未成年子女的户籍证明")
@question(
    en: "Do you hold the household registration certificates of your spouse and minor children?",
    zh: "您是否持有配偶及未成年子女的户籍证明？")
input has_family_household_certificates.

@description(en: "You hold your employer's letter of introduction", zh: "您持有用人单位介绍信")
@question(
    en: "Do you (or your employer's agent) hold the employer's letter of introduction for the medical insurance card?",
    zh: "您（或用人单位经办人）是否持有办理医保卡的用人单位介绍信？")
input has_employer_letter.

% --- Medical insurance -----------------------------------------------------------

@description(en: "You want to be insured and pay medical insurance here", zh: "您希望在本地参加并缴纳医疗保险")
@question(en: "Do you want to join and pay medical insurance here?", zh: "您是否希望在本地参加并缴纳医疗保险？")
input wants_to_pay_locally.

@description(en: "You are enrolled in a medical insurance scheme here already", zh: "您已在本地参加医疗保险")
@question(en: "Are you already enrolled in a medical insurance scheme here?", zh: "您是否已在本地参加医疗保险？")
input enrolled_in_medical_insurance.

@description(en: "You have paid your medical insurance premiums", zh: "您已缴纳医疗保险费")
@question(en: "Have you paid your medical insurance premiums?", zh: "您是否已缴纳医疗保险费？")
input premiums_paid.

@description(en: "You hold a medical insurance card", zh: "您持有医保卡")
@question(en: "Do you already hold a medical insurance card?", zh: "您是否已持有医保卡？")
input has_medical_insurance_card.

@description(
    en: "You want to entrust someone else to apply for your medical insurance card",
    zh: "您希望委托他人代办医保卡")
@question(
    en: "Do you want to entrust someone else to apply for your medical insurance card for you?",
    zh: "您是否希望委托他人代办医保卡？")
input wants_agent.

@description(
    en: "Your employer applies for its employees' medical insurance cards centrally",
    zh: "您的用人单位集中办理医保卡")
@question(
    en: "Does your employer apply for its employees' medical insurance cards centrally?",
    zh: "您的用人单位是否集中为职工办理医保卡？")
input employer_handles_centrally.

% --- Milestones the applicant has reached already ------------------------------

@id("achieved.hukou")
@source("returnee-guide I.1")
@title(en: "You already hold a hukou in this city", zh: "您已持有本市户口")
achieved(hukou) :-
    has_local_hukou.

@id("achieved.id_card")
@source("returnee-guide I.2")
@title(en: "You already hold a valid ID card", zh: "您已持有有效身份证")
achieved(id_card) :-
    has_valid_id_card.

@id("achieved.enrolment")
@source("nonlocal-guide process.4")
@title(en: "You are enrolled in medical insurance already", zh: "您已参加医疗保险")
achieved(enrolment) :-
    enrolled_in_medical_insurance.

@id("achieved.payment")
@source("nonlocal-guide process.5")
@title(en: "You have paid the premiums already", zh: "您已缴纳医疗保险费")
achieved(payment) :-
    premiums_paid.

@id("achieved.card")
@source("returnee-guide III.1")
@title(en: "You hold a medical insurance card already", zh: "您已持有医保卡")
achieved(card) :-
    has_medical_insurance_card.

% --- Documents held (milestones named after the document they are) -----------

@id("achieved.passport")
@source("returnee-guide II.1")
@title(en: "You hold your passport", zh: "您持有护照")
achieved(passport) :-
    has_passport.

@id("achieved.hukou_cancellation_certificate")
@source("returnee-guide II.2")
@title(en: "You hold the certificate of hukou cancellation", zh: "您持有注销户口证明")
achieved(hukou_cancellation_certificate) :-
    has_hukou_cancellation_certificate.

@id("achieved.moe_mop_certificates")
@source("returnee-guide II.3")
@title(
    en: "You hold the certificates of the Ministries of Education and Personnel",
    zh: "您持有教育部、人事部的有关证明")
achieved(moe_mop_certificates) :-
    has_moe_mop_certificates.

@id("achieved.receiving_personnel_certificate")
@source("returnee-guide II.4")
@title(en: "You hold the receiving place's personnel department certificate", zh: "您持有接收地人事部门的证明")
achieved(receiving_personnel_certificate) :-
    has_receiving_personnel_certificate.

@id("achieved.provincial_personnel_certificate")
@source("returnee-guide II.5")
@title(en: "You hold the provincial personnel department certificates", zh: "您持有省级以上人事部门的有关证明")
achieved(provincial_personnel_certificate) :-
    has_provincial_personnel_certificate.

@id("achieved.family_household_certificates")
@source("returnee-guide II.5")
@title(en: "You hold your family's household registration certificates", zh: "您持有配偶及未成年子女的户籍证明")
achieved(family_household_certificates) :-
    has_family_household_certificates.

@id("achieved.employer_letter")
@source("returnee-guide III.4")
@title(en: "You hold the employer's letter of introduction", zh: "您持有用人单位介绍信")
achieved(employer_letter) :-
    has_employer_letter.

% Where the documents say a document comes from (none says where a passport
% or the family's household registration certificates come from). The ID card
% is the milestone apply_for_id_card provides (returnee-guide I.2).
@source("returnee-guide II.2")
obtain(hukou_cancellation_certificate, "Issued by the police station where your original hukou was registered; it must state the registration details before the cancellation", "由原户口所在地派出所出具，证明应注明注销前的户口登记详情").
@source("returnee-guide II.3")
obtain(moe_mop_certificates, "Issued by the Ministry of Education and the Ministry of Personnel", "由教育部、人事部出具").
@source("returnee-guide II.4")
obtain(receiving_personnel_certificate, "Issued by the personnel department at or above city/county level of the receiving place", "由接收地市、县以上人事部门出具").
@source("returnee-guide II.5")
obtain(provincial_personnel_certificate, "Issued by a personnel department at or above provincial level", "由省级以上人事部门出具").
@source("returnee-guide III.4")
obtain(employer_letter, "Issued by your employer, which handles the cards centrally", "由集中办理的用人单位出具").
% --- Titles of milestones, groups and values (for --lang en|zh) ---------------
% label(Key, En, Zh): what a milestone, an alternative group or an enum value is
% called in each language; the plan, the explanations and the interview use it.

label(hukou, "household registration (hukou)", "户口").
label(family_hukou, "your family's hukou", "配偶及未成年子女户口").
label(id_card, "ID card", "居民身份证").
label(enrolment, "enrolment in medical insurance", "参加医疗保险").
label(payment, "premiums paid", "缴纳医疗保险费").
label(card, "medical insurance card", "医保卡").
label(passport, passport, "护照").
label(hukou_cancellation_certificate, "certificate of hukou cancellation", "注销户口证明").
label(moe_mop_certificates, "certificates of the Ministries of Education and Personnel", "教育部、人事部的有关证明").
label(receiving_personnel_certificate, "personnel department certificate of the receiving place", "接收地人事部门的证明").
label(provincial_personnel_certificate, "provincial personnel department certificates", "省级以上人事部门的有关证明").
label(family_household_certificates, "your family's household registration certificates", "配偶及未成年子女的户籍证明").
label(employer_letter, "employer's letter of introduction", "用人单位介绍信").
label(hukou_route, "routes to the hukou", "落户途径").
label(card_channel, "ways to get the card", "医保卡办理渠道").
label(public_assignment, "public assignment", "公派").
label(self_funded, "self-funded", "自费").
label(urban, "urban hukou", "城镇户口").
label(rural, "rural hukou", "农村户口").
label(none, "no hukou", "无户口").
label(employee, employee, "职工").
label(employer, employer, "用人单位").
label(self_employed_no_employees, "individual business without employees", "无雇工的个体工商户").
label(part_time_not_in_employee_scheme, "part-time, not in the employee scheme", "未参加职工医保的非全日制从业人员").
label(other_flexible, "other flexible employment", "其他灵活就业人员").
label(not_employed, "not employed", "未就业").

% --- The answer's predicates ---------------------------------------------------

derived eligible(procedure: enum(restore_hukou_with_passport, pay_employee_premiums_with_employer, employer_pays_for_employees, settle_at_other_station, settle_cross_region_state_assigned, settle_cross_region_self_arranged, move_in_family_hukou, apply_for_id_card, re_enroll_medical_insurance, enroll_employee_medical_insurance, enroll_flexible_employment_medical_insurance, register_social_security_as_freelancer, enroll_resident_medical_insurance, pay_medical_insurance_premiums, apply_card_at_district_center, apply_card_at_service_point, apply_card_by_agent, apply_card_via_employer)).
derived procedure(procedure: enum(restore_hukou_with_passport, pay_employee_premiums_with_employer, employer_pays_for_employees, settle_at_other_station, settle_cross_region_state_assigned, settle_cross_region_self_arranged, move_in_family_hukou, apply_for_id_card, re_enroll_medical_insurance, enroll_employee_medical_insurance, enroll_flexible_employment_medical_insurance, register_social_security_as_freelancer, enroll_resident_medical_insurance, pay_medical_insurance_premiums, apply_card_at_district_center, apply_card_at_service_point, apply_card_by_agent, apply_card_via_employer), modality: enum(must, may, option)).
derived alternative(procedure, group: enum(hukou_route, card_channel)).
derived title(procedure, en: string, zh: string).
derived office(procedure, en: string, zh: string).
derived document(procedure, key, en: string, zh: string).
derived duration(procedure, en: string, zh: string).
derived citation(procedure, text: string).
derived needs(procedure, milestone: enum(hukou, family_hukou, id_card, enrolment, payment, card, passport, hukou_cancellation_certificate, moe_mop_certificates, receiving_personnel_certificate, provincial_personnel_certificate, family_household_certificates, employer_letter)).
derived provides(procedure, milestone: enum(hukou, family_hukou, id_card, enrolment, payment, card, passport, hukou_cancellation_certificate, moe_mop_certificates, receiving_personnel_certificate, provincial_personnel_certificate, family_household_certificates, employer_letter)).
derived achieved(milestone: enum(hukou, family_hukou, id_card, enrolment, payment, card, passport, hukou_cancellation_certificate, moe_mop_certificates, receiving_personnel_certificate, provincial_personnel_certificate, family_household_certificates, employer_letter)).
derived obtain(milestone, en: string, zh: string).
derived label(key, en: string, zh: string).
derived source_clause(citation: string).
derived advice_only(citation: string, en: string, zh: string).
