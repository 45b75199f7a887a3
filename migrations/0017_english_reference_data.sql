-- English text of the reference data (issue #17): the catalogue's services, the transfer recipients and their
-- instructions, ministries and their units. Null where no English was given (a service a ministry registered, a
-- municipality's name): the page then shows the French, marked lang="fr-CA". The catalogue fills these for its own
-- rows, at creation and at the next start of a database created before them.
alter table organization add column name_en text check (char_length(name_en) between 1 and 200);
alter table ministry_unit add column name_en text;
alter table online_service add column name_en text, add column description_en text;
alter table transfer_recipient add column name_en text, add column instructions_en text;
