-- `npm run dev -- --sql demo.sql` runs this in a throwaway local Postgres where the wrapper, the
-- server (api_url = the local mock API) and crm.customers have been created from fdw.json.

select id, name, plan, balance, active, created_at from crm.customers limit 5;

-- pushed down: one GET /customers/2
select id, name, email, tags from crm.customers where id = 2;

insert into crm.customers (id, name, email, plan, balance, active, tags)
values (100, 'Zed', 'zed@example.com', 'team', 12.50, true, '["vip"]');

update crm.customers set plan = 'pro', balance = 20 where id = 100;

select id, name, plan, balance, tags from crm.customers where id = 100;

delete from crm.customers where id = 100;

select plan, count(*) from crm.customers group by plan order by plan;
