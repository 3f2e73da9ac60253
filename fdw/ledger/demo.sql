select id, number, amount, currency, paid, issued_on, created_at from ledger.invoices limit 3;
select id, customer_id, amount, lines->1->'unit_price' as fee from ledger.invoices where id = 1004;
select name, country, vip from ledger.customers where country = 'DE';
insert into ledger.invoices (id, customer_id, amount, issued_on, lines)
values (2001, '2b7c4a18-63f1-4c1e-9d0b-6f1f3a0c9e01', 42.50, '2024-07-01', '[{"sku": "SKU-9", "qty": 2, "unit_price": 21.25}]');
update ledger.invoices set paid = true, due_on = '2024-07-31' where id = 2001;
select id, number, amount, paid, issued_on, due_on, created_at, lines from ledger.invoices where id = 2001;
delete from ledger.invoices where id = 2001;
select count(*) as invoices, count(*) filter (where paid) as paid, sum(amount) as total from ledger.invoices;
